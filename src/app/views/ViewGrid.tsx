import { useViewSettings } from '../state/viewSettingsStore';
import { HoverReadout } from './HoverReadout';
import { viewDownload } from './useViewDownloads';
import type { ViewLayers } from './useViewLayers';
import { ViewPanel } from './ViewPanel';

/** The four aligned views of the selected image. */
export function ViewGrid({ layers }: { layers: ViewLayers }) {
  const opacity = useViewSettings((state) => state.opacity);
  const smoothing = useViewSettings((state) => state.smoothing);
  const { item, width, height, imageRgba, scoreMap, refinedScoreMap, result, progress } = layers;
  if (!item) return null;
  const name = item.name;
  const raw = { label: 'raw', scoreMap };
  const refined = { label: 'refined', scoreMap: refinedScoreMap };
  const both = [raw, refined];
  const waiting = (what: string) =>
    item.imageError ? undefined : progress?.phase === 'error' ? 'Analysis failed' : `${what}…`;
  const masksStatus =
    result && !result.masks
      ? 'This bundle has no SAM 2 segmenter'
      : !result
        ? progress?.promptCount
          ? `SAM 2 masks… ${progress.promptsDone ?? 0}/${progress.promptCount} prompts`
          : waiting('Waiting for SAM 2 masks')
        : undefined;
  return (
    <section className="view-grid" aria-label="Views">
      <ViewPanel
        title="Image"
        imageName={name}
        width={width}
        height={height}
        imageRgba={imageRgba}
        readout={<HoverReadout maps={both} />}
        onDownload={viewDownload(layers, 'image', null, 1)}
      />
      <ViewPanel
        title="Raw heatmap"
        imageName={name}
        width={width}
        height={height}
        imageRgba={imageRgba}
        layer={{ label: `Raw anomaly heatmap of ${name}`, ...layers.raw, opacity }}
        status={scoreMap ? undefined : waiting('Computing the anomaly score')}
        readout={<HoverReadout maps={[raw]} />}
        onDownload={viewDownload(layers, 'raw', layers.raw.rgba, opacity)}
      />
      <ViewPanel
        title={smoothing ? 'Refined heatmap' : 'Refined heatmap (smoothing off)'}
        imageName={name}
        width={width}
        height={height}
        imageRgba={imageRgba}
        layer={{ label: `Refined anomaly heatmap of ${name}`, ...layers.refined, opacity }}
        status={refinedScoreMap ? undefined : masksStatus}
        readout={<HoverReadout maps={[refined]} />}
        onDownload={viewDownload(layers, 'refined', layers.refined.rgba, opacity)}
      />
      <ViewPanel
        title="SAM 2 masks"
        imageName={name}
        width={width}
        height={height}
        imageRgba={imageRgba}
        layer={{
          label: `SAM 2 masks of ${name}${result?.masks ? ` (${result.masks.length} masks)` : ''}`,
          ...layers.masks,
          opacity: 1,
        }}
        status={layers.masks.rgba ? undefined : masksStatus}
        readout={<HoverReadout maps={both} />}
        onDownload={viewDownload(layers, 'masks', layers.masks.rgba, 1)}
      />
    </section>
  );
}
