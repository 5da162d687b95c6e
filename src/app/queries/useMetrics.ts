/** Raw vs refined metrics per image and pooled over every analysed image with ground truth. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { DEFAULT_BINNED_THRESHOLDS } from '../../core/defaults';
import { inOwnTask, viewWorker } from '../compute/workers';
import { useViewSettings } from '../state/viewSettingsStore';
import { useAnalysedItems } from './useAnalysedItems';
import { useAnalysisToken } from './useAnalysisToken';
import { choiceKey, useRefinedChoice } from './useRefinedChoice';

export function useMetrics() {
  const analysisToken = useAnalysisToken();
  const mode = useViewSettings((state) => state.metricsMode);
  const refined = useRefinedChoice();
  const labelled = useAnalysedItems()
    .filter(({ item }) => item.groundTruth)
    .map(({ item }) => ({ imageId: item.id, name: item.name, groundTruth: item.groundTruthName }));
  const enabled = analysisToken !== undefined && labelled.length > 0;
  const query = useQuery({
    queryKey: ['metrics', analysisToken, mode, choiceKey(refined), labelled],
    queryFn: () =>
      inOwnTask(() =>
        viewWorker().metrics(
          analysisToken ?? '',
          labelled.map(({ imageId, name }) => ({ imageId, name })),
          refined,
          mode === 'exact' ? { mode } : { mode, bins: DEFAULT_BINNED_THRESHOLDS },
        ),
      ),
    enabled,
    staleTime: Infinity,
    gcTime: 60_000,
    retry: false,
    // Numbers of the previous set stay while the next are computed, never once no image is left.
    placeholderData: keepPreviousData,
  });
  return {
    data: enabled ? (query.data ?? undefined) : undefined,
    error: enabled ? query.error : null,
    isFetching: enabled && query.isFetching,
  };
}
