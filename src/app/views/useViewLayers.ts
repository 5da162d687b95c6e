/** The RGBA layers of the selected image's views, each computed once in the view worker. */
import type { ScoreMap } from '../../core/types';
import { viewWorker } from '../compute/viewClient';
import type { ScoreLayerStyle } from '../compute/viewService';
import { useWorkerQuery } from '../queries/useWorkerQuery';
import { objectId } from '../queries/objectIds';
import { useViewSettings } from '../state/viewSettingsStore';
import { useScoreColouring } from './useScoreColouring';
import { useSelectedAnalysis } from './useSelectedAnalysis';

function useScoreLayer(
  scoreMap: ScoreMap | undefined,
  style: ScoreLayerStyle,
  scope: string | undefined,
) {
  return useWorkerQuery(
    ['score-layer', objectId(scoreMap), style],
    scoreMap ? () => viewWorker().scoreLayerRgba(scoreMap, style) : undefined,
    scope,
  );
}

/** A layer's pixels, and whether they are for the current inputs (not a placeholder). */
function layerOf(query: { data?: Uint8ClampedArray; isPlaceholderData: boolean }, exists: boolean) {
  return { rgba: exists ? query.data : undefined, current: exists && !query.isPlaceholderData };
}

export function useViewLayers() {
  const selected = useSelectedAnalysis();
  const { item, result, scoreMap, refinedScoreMap } = selected;
  const thresholdView = useViewSettings((state) => state.thresholdView);
  const threshold = useViewSettings((state) => state.threshold);
  const colouring = useScoreColouring(scoreMap, refinedScoreMap);
  const style: ScoreLayerStyle = thresholdView
    ? { kind: 'threshold', threshold }
    : { kind: 'colour', colouring };

  const image = item?.image;
  const scope = item?.id;
  const imageRgba = useWorkerQuery(
    ['image-rgba', objectId(image)],
    image ? () => viewWorker().imageRgba(image) : undefined,
    scope,
  );
  const raw = useScoreLayer(scoreMap, style, scope);
  const refined = useScoreLayer(refinedScoreMap, style, scope);
  const masks = result?.masks;
  const maskLayer = useWorkerQuery(
    ['mask-layer', objectId(masks)],
    masks && result
      ? () =>
          viewWorker().maskLayerRgba(
            result.width,
            result.height,
            masks.map((automaticMask) => automaticMask.mask),
          )
      : undefined,
    scope,
  );
  return {
    ...selected,
    colouring,
    width: image?.width ?? 0,
    height: image?.height ?? 0,
    imageRgba: image ? imageRgba.data : undefined,
    raw: layerOf(raw, scoreMap !== undefined),
    refined: layerOf(refined, refinedScoreMap !== undefined),
    masks: layerOf(maskLayer, Boolean(masks)),
  };
}

export type ViewLayers = ReturnType<typeof useViewLayers>;
