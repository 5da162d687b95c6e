/** The selected image and everything known about it so far (the raw map may precede the result). */
import type { ScoreMap } from '../../core/types';
import { useAnalysis } from '../queries/useAnalysis';
import { progressKey } from '../queries/analysisKeys';
import { useRefinedScoreMap } from '../queries/useRefinedScoreMap';
import { useAnalysisProgressStore } from '../state/analysisProgressStore';
import { useBundleStore } from '../state/bundleStore';
import { useSelectedItem } from '../state/galleryStore';

export function useSelectedAnalysis() {
  const item = useSelectedItem();
  const analysis = useAnalysis(item);
  const bundleToken = useBundleStore((state) => state.active?.token);
  const progress = useAnalysisProgressStore((state) =>
    bundleToken && item ? state.byKey[progressKey(bundleToken, item.id)] : undefined,
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
