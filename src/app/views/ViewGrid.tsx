import { useViewSettings } from '../state/viewSettingsStore';
import { ColourBar } from './ColourBar';
import { HoverReadout } from './HoverReadout';
import { viewDownload } from './useViewDownloads';
import type { ViewLayers } from './useViewLayers';
import { ViewPanel } from './ViewPanel';

/** The four aligned views of the selected image. */
export function ViewGrid({ layers }: { layers: ViewLayers }) {
  const opacity = useViewSettings((state) => state.opacity);
  const smoothing = useViewSettings((state) => state.smoothing);
  const { item, width, height, result, progress, ref, rawReady, refinedReady } = layers;
  if (!item) return null;
  const name = item.name;
  const readout = (show: readonly ('raw' | 'refined')[]) => (
    <HoverReadout
      analysis={ref}
      refined={layers.refinedChoice}
      show={show}
      rawReady={rawReady}
      refinedReady={refinedReady}
    />
  );
  const waiting = (what: string) =>
    item.imageError ? undefined : progress?.phase === 'error' ? 'Analysis failed' : `${what}…`;
  const masksStatus =
    result && result.maskCount === null
      ? 'This bundle has no SAM 2 segmenter'
      : !result
        ? progress?.promptCount
          ? `SAM 2 masks… ${progress.promptsDone ?? 0}/${progress.promptCount} prompts`
          : waiting('Waiting for SAM 2 masks')
        : undefined;
  const panel = { imageName: name, width, height, photo: layers.image.png };
  const scale = (png: Blob | undefined) =>
    png && layers.colourBar ? <ColourBar style={layers.colourBar} /> : undefined;
  return (
    <section className="view-grid" aria-label="Views">
      <ViewPanel
        title="Image"
        {...panel}
        readout={readout(['raw', 'refined'])}
        onDownload={viewDownload(layers, 'image', layers.image.choice, 1)}
      />
      <ViewPanel
        title="Raw heatmap"
        {...panel}
        layer={{ label: `Raw anomaly heatmap of ${name}`, ...layers.raw, opacity }}
        status={rawReady ? undefined : waiting('Computing the anomaly score')}
        readout={readout(['raw'])}
        scale={scale(layers.raw.png)}
        onDownload={viewDownload(layers, 'raw', layers.raw.choice, opacity)}
      />
      <ViewPanel
        title={smoothing ? 'Refined heatmap' : 'Refined heatmap (smoothing off)'}
        {...panel}
        layer={{ label: `Refined anomaly heatmap of ${name}`, ...layers.refined, opacity }}
        status={refinedReady ? undefined : masksStatus}
        readout={readout(['refined'])}
        scale={scale(layers.refined.png)}
        onDownload={viewDownload(layers, 'refined', layers.refined.choice, opacity)}
      />
      <ViewPanel
        title="SAM 2 masks"
        {...panel}
        layer={{
          label: `SAM 2 masks of ${name}${result?.maskCount != null ? ` (${result.maskCount} masks)` : ''}`,
          ...layers.masks,
          opacity: 1,
        }}
        status={layers.masks.png ? undefined : masksStatus}
        readout={readout(['raw', 'refined'])}
        onDownload={viewDownload(layers, 'masks', layers.masks.choice, 1)}
      />
    </section>
  );
}
