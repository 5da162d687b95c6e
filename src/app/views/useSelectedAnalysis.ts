/** The selected image and everything known about it so far (the raw map may precede the result). */
import type { ScoreMap } from '../../core/types';
import { useAnalysisToken } from '../queries/useAnalysisToken';
import { useAnalysis } from '../queries/useAnalysis';
import { progressKey } from '../queries/analysisKeys';
import { useRefinedScoreMap } from '../queries/useRefinedScoreMap';
import { useAnalysisProgressStore } from '../state/analysisProgressStore';
import { useSelectedItem } from '../state/galleryStore';

export function useSelectedAnalysis() {
  const item = useSelectedItem();
  const analysis = useAnalysis(item);
  const analysisToken = useAnalysisToken();
  const progress = useAnalysisProgressStore((state) =>
    analysisToken && item ? state.byKey[progressKey(analysisToken, item.id)] : undefined,
  );
  const result = analysis.data;
  const refined = useRefinedScoreMap(item?.id, result);
  // The raw map delivered first stays the one shown: the full result carries the same values,
  // and a new object would colour, draw and histogram it all over again.
  const scoreMap: ScoreMap | undefined = progress?.scoreMap ?? result?.scoreMap;
  return {
    item,
    analysis,
    result,
    progress,
    scoreMap,
    refinedScoreMap: result ? refined.data : undefined,
    refinedError: refined.error,
  };
}
