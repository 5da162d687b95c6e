import { useViewSettings } from '../state/viewSettingsStore';
import { ColourBar } from './ColourBar';
import { LayerImage } from './LayerImage';
import type { ViewLayers } from './useViewLayers';

/** Raw heatmap left of the divider, refined right of it, over the same photo. */
export function CompareSlider({ layers }: { layers: ViewLayers }) {
  const position = useViewSettings((state) => state.comparePosition);
  const opacity = useViewSettings((state) => state.opacity);
  const set = useViewSettings((state) => state.set);
  const { item, width, height } = layers;
  if (!item || !layers.raw.png || !layers.refined.png) return null;
  const percent = `${(position * 100).toFixed(1)}%`;
  return (
    <section className="compare" aria-label="Before and after">
      <h2>Before / after</h2>
      <div className="view-stack compare-stack" style={{ aspectRatio: `${width} / ${height}` }}>
        <LayerImage png={layers.image.png} label={`Photo ${item.name}`} />
        <LayerImage
          png={layers.raw.png}
          label="Raw heatmap, left of the divider"
          className="layer"
          opacity={opacity}
          clip={`inset(0 calc(100% - ${percent}) 0 0)`}
        />
        <LayerImage
          png={layers.refined.png}
          label="Refined heatmap, right of the divider"
          className="layer"
          opacity={opacity}
          clip={`inset(0 0 0 ${percent})`}
        />
        <div className="compare-divider" style={{ left: percent }} aria-hidden="true" />
        <span className="compare-side before">Raw</span>
        <span className="compare-side after">Refined</span>
      </div>
      {layers.colourBar && <ColourBar style={layers.colourBar} />}
      <label className="control">
        Before/after divider
        <input
          type="range"
          min={0}
          max={1}
          step={0.01}
          value={position}
          onChange={(event) => set({ comparePosition: Number(event.target.value) })}
        />
      </label>
    </section>
  );
}
