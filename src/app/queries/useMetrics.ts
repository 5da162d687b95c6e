/** Raw vs refined metrics per image and pooled over every analysed image with ground truth. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { DEFAULT_BINNED_THRESHOLDS } from '../../core/defaults';
import { useAnalysisToken } from './useAnalysisToken';
import { inOwnTask, viewWorker } from '../compute/viewClient';
import type { MetricsEntry } from '../compute/viewService';
import { useViewSettings } from '../state/viewSettingsStore';
import { useAnalysedItems } from './useAnalysedItems';
import { refinedQuery, useSmoothingBins } from './useRefinedScoreMap';

export function useMetrics() {
  const queryClient = useQueryClient();
  const analysisToken = useAnalysisToken();
  const smoothing = useViewSettings((state) => state.smoothing);
  const mode = useViewSettings((state) => state.metricsMode);
  const bins = useSmoothingBins();
  const labelled = useAnalysedItems().filter(({ item }) => item.groundTruth);
  return useQuery({
    queryKey: [
      'metrics',
      analysisToken,
      mode,
      smoothing,
      bins,
      labelled.map(({ item }) => [item.id, item.groundTruthName]),
    ],
    queryFn: async () => {
      const entries: MetricsEntry[] = [];
      for (const { item, result } of labelled) {
        if (!item.groundTruth) continue;
        const refinedScoreMap = await queryClient.fetchQuery(
          refinedQuery(analysisToken, item.id, result, smoothing, bins),
        );
        entries.push({
          image: item.name,
          scoreMap: result.scoreMap,
          refinedScoreMap,
          labels: item.groundTruth,
        });
      }
      return inOwnTask(() =>
        viewWorker().metrics(
          entries,
          mode === 'exact' ? { mode } : { mode, bins: DEFAULT_BINNED_THRESHOLDS },
        ),
      );
    },
    enabled: labelled.length > 0,
    staleTime: Infinity,
    gcTime: 60_000,
    retry: false,
    placeholderData: (previous) => previous,
  });
}
