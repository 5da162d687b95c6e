import { COLORMAP_NAMES, isColormapName } from '../../core/render';
import { useSmoothingBins } from '../queries/useRefinedChoice';
import { useBundleStore } from '../state/bundleStore';
import { useViewSettings } from '../state/viewSettingsStore';
import { BinsInput } from './BinsInput';

/** Display and smoothing settings; changing any of them never re-runs a model. */
export function ViewControls() {
  const settings = useViewSettings();
  const bundleColormap = useBundleStore((state) => state.active?.manifest.display.colormap);
  const bins = useSmoothingBins();
  const { set } = settings;
  return (
    <section className="controls" aria-label="View settings">
      <fieldset>
        <legend>Smoothing</legend>
        <label className="control inline">
          <input
            type="checkbox"
            checked={settings.smoothing}
            onChange={(event) => set({ smoothing: event.target.checked })}
          />
          Mask-based smoothing
        </label>
        <BinsInput
          bins={bins}
          disabled={!settings.smoothing}
          onChange={(value) => set({ bins: value })}
        />
      </fieldset>
      <fieldset>
        <legend>Heatmap</legend>
        <label className="control">
          Colour map
          <select
            value={settings.colormap ?? bundleColormap ?? 'inferno'}
            onChange={(event) => {
              const name = event.target.value;
              if (isColormapName(name)) set({ colormap: name });
            }}
          >
            {COLORMAP_NAMES.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label className="control">
          Overlay opacity
          <input
            type="range"
            min={0}
            max={1}
            step={0.05}
            value={settings.opacity}
            onChange={(event) => set({ opacity: Number(event.target.value) })}
          />
        </label>
        <label className="control">
          Score range
          <select
            value={settings.rangeMode}
            onChange={(event) =>
              set({ rangeMode: event.target.value === 'auto' ? 'auto' : 'fixed' })
            }
          >
            <option value="fixed">Fixed (bundle range)</option>
            <option value="auto">Automatic (min–max)</option>
          </select>
        </label>
        <label className="control inline">
          <input
            type="checkbox"
            checked={settings.colourBarInPng}
            onChange={(event) => set({ colourBarInPng: event.target.checked })}
          />
          Colour bar in saved PNGs
        </label>
      </fieldset>
      <fieldset>
        <legend>Threshold view</legend>
        <label className="control inline">
          <input
            type="checkbox"
            checked={settings.thresholdView}
            onChange={(event) => set({ thresholdView: event.target.checked })}
          />
          Show binary map
        </label>
        <label className="control">
          Threshold {settings.threshold.toFixed(2)}
          <input
            type="range"
            min={0}
            max={1}
            step={0.01}
            value={settings.threshold}
            disabled={!settings.thresholdView}
            aria-label="Threshold score"
            onChange={(event) => set({ threshold: Number(event.target.value) })}
          />
        </label>
      </fieldset>
    </section>
  );
}
