import { useId } from 'react';
import { AMG_POINTS_PER_SIDE_RANGE } from '../../core/defaults';
import { useAnalysisSettings } from '../state/analysisSettingsStore';
import { useBundleStore } from '../state/bundleStore';

function formatDuration(milliseconds: number): string {
  return milliseconds < 1000
    ? `${Math.round(milliseconds)} ms`
    : `${(milliseconds / 1000).toFixed(milliseconds < 10_000 ? 1 : 0)} s`;
}

/**
 * The automatic-mask prompt grid: SAM 2's decoder runs once per prompt, so points per side is
 * the main speed control of an analysis. Changing it re-analyses the images.
 */
export function AnalysisControls() {
  const bundleGrid = useBundleStore((state) => state.active?.manifest.segmenter?.amg.pointsPerSide);
  const pointsPerSide = useAnalysisSettings((state) => state.pointsPerSide);
  const msPerPrompt = useAnalysisSettings((state) => state.decoderMsPerPrompt);
  const setPointsPerSide = useAnalysisSettings((state) => state.setPointsPerSide);
  const hintId = useId();
  if (bundleGrid === undefined) return null;
  const grid = pointsPerSide ?? bundleGrid;
  const prompts = grid * grid;
  const { min, max } = AMG_POINTS_PER_SIDE_RANGE;
  return (
    <section className="controls" aria-label="Analysis settings">
      <fieldset>
        <legend>Automatic masks</legend>
        <label className="control">
          Points per side
          <input
            type="number"
            min={min}
            max={max}
            step={1}
            value={grid}
            aria-describedby={hintId}
            onChange={(event) => {
              const value = Math.round(Number(event.target.value));
              if (Number.isFinite(value) && value >= min && value <= max) {
                setPointsPerSide(value === bundleGrid ? null : value);
              }
            }}
          />
        </label>
        <p id={hintId} className="muted hint" data-testid="amg-estimate">
          {prompts.toLocaleString('en')} prompts per image
          {msPerPrompt !== null
            ? `, about ${formatDuration(prompts * msPerPrompt)} of SAM 2 decoder time here`
            : ''}
          . Changing it analyses the images again
          {pointsPerSide !== null ? ` (the bundle's own: ${bundleGrid})` : ''}.
        </p>
      </fieldset>
    </section>
  );
}
