/** The selected image and everything known about it so far (the raw map may precede the result). */
import { useAnalysis } from '../queries/useAnalysis';
import { useAnalysisToken } from '../queries/useAnalysisToken';
import { useAnalysisProgress } from '../state/analysisProgressStore';
import { useSelectedItem } from '../state/galleryStore';
import type { AnalysisRef } from '../../worker/viewProtocol';

export function useSelectedAnalysis() {
  const item = useSelectedItem();
  const analysis = useAnalysis(item);
  const analysisToken = useAnalysisToken();
  const progress = useAnalysisProgress(item?.id, analysisToken);
  const result = analysis.data;
  const ref: AnalysisRef | undefined =
    item && analysisToken ? { imageId: item.id, token: analysisToken } : undefined;
  return {
    item,
    analysis,
    result,
    progress,
    ref,
    /** The raw map is in the view worker. */
    rawReady: Boolean(result ?? progress?.rawReady),
    /** So is every refined map (smoothed there on demand). */
    refinedReady: result !== undefined,
  };
}

export type SelectedAnalysis = ReturnType<typeof useSelectedAnalysis>;
