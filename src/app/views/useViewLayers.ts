/** The pictures of the selected image's views, each made once in the view worker. */
import { colourBarStyleOf } from '../../core/render';
import type { AnalysisRef, LayerChoice, ScoreLayerStyle } from '../../worker/viewProtocol';
import { viewWorker } from '../compute/workers';
import { viewKey } from '../queries/analysisKeys';
import { choiceKey, useRefinedChoice } from '../queries/useRefinedChoice';
import { useWorkerQuery } from '../queries/useWorkerQuery';
import { useViewSettings } from '../state/viewSettingsStore';
import { useScoreColouring } from './useScoreColouring';
import { useSelectedAnalysis } from './useSelectedAnalysis';

export interface LayerPicture {
  /** PNG at the image's display size. */
  png: Blob | undefined;
  /** False while an older picture stands in for the one being made. */
  current: boolean;
  /** What the layer shows, for a full-size download of the same view. */
  choice: LayerChoice | undefined;
}

function useLayer(
  ref: AnalysisRef | undefined,
  choice: LayerChoice | undefined,
  keyParts: readonly unknown[],
): LayerPicture {
  const query = useWorkerQuery(
    viewKey(ref, 'layer', ...keyParts),
    ref && choice ? () => viewWorker().layer(ref, choice) : undefined,
    ref?.imageId,
  );
  const exists = ref !== undefined && choice !== undefined;
  return {
    png: exists ? (query.data ?? undefined) : undefined,
    current: exists && !query.isPlaceholderData,
    choice,
  };
}

export function useViewLayers() {
  const selected = useSelectedAnalysis();
  const { item, ref, result, rawReady, refinedReady } = selected;
  const refinedChoice = useRefinedChoice();
  const thresholdView = useViewSettings((state) => state.thresholdView);
  const threshold = useViewSettings((state) => state.threshold);
  const colouring = useScoreColouring(ref, refinedChoice, rawReady, refinedReady);
  const style: ScoreLayerStyle | undefined = thresholdView
    ? { kind: 'threshold', threshold }
    : colouring && { kind: 'colour', colouring };
  const styleKey =
    style?.kind === 'colour' ? [style.colouring.colormap, ...style.colouring.range] : [threshold];
  // The photo does not depend on the analysis: its key and request use an empty token.
  const imageRef = item?.image ? { imageId: item.id, token: '' } : undefined;
  const image = useLayer(imageRef, { kind: 'image' }, ['image']);
  const scores = (ready: boolean, map: typeof refinedChoice) =>
    ready && style ? ({ kind: 'scores', map, style } as const) : undefined;
  const raw = useLayer(ref, scores(rawReady, { kind: 'raw' }), ['raw', style?.kind, ...styleKey]);
  // With smoothing off (or no masks) the refined view asks for the raw layer: same key, one draw.
  const refinedMap = result?.maskCount === null ? ({ kind: 'raw' } as const) : refinedChoice;
  const refined = useLayer(ref, scores(refinedReady, refinedMap), [
    choiceKey(refinedMap),
    style?.kind,
    ...styleKey,
  ]);
  const masks = useLayer(ref, result && result.maskCount !== null ? { kind: 'masks' } : undefined, [
    'masks',
  ]);
  return {
    ...selected,
    refinedChoice: refinedMap,
    colouring,
    /** The scale of the heatmaps as they are coloured now (both share one). */
    colourBar: style && colourBarStyleOf(style),
    width: item?.image?.width ?? 0,
    height: item?.image?.height ?? 0,
    image,
    raw,
    refined,
    masks,
  };
}

export type ViewLayers = ReturnType<typeof useViewLayers>;
