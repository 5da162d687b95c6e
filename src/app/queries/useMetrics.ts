/** Raw vs refined metrics per image and pooled over every analysed image with ground truth. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { inOwnTask, viewWorker } from '../compute/viewClient';
import type { MetricsEntry } from '../compute/viewService';
import { useBundleStore } from '../state/bundleStore';
import { useViewSettings } from '../state/viewSettingsStore';
import { useAnalysedItems } from './useAnalysedItems';
import { refinedQuery, useSmoothingBins } from './useRefinedScoreMap';

export function useMetrics() {
  const queryClient = useQueryClient();
  const bundleToken = useBundleStore((state) => state.active?.token);
  const smoothing = useViewSettings((state) => state.smoothing);
  const mode = useViewSettings((state) => state.metricsMode);
  const bins = useSmoothingBins();
  const labelled = useAnalysedItems().filter(({ item }) => item.groundTruth);
  return useQuery({
    queryKey: [
      'metrics',
      bundleToken,
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
          refinedQuery(bundleToken, item.id, result, smoothing, bins),
        );
        entries.push({
          image: item.name,
          scoreMap: result.scoreMap,
          refinedScoreMap,
          labels: item.groundTruth,
        });
      }
      return inOwnTask(() =>
        viewWorker().metrics(entries, mode === 'exact' ? { mode } : { mode, bins: 5000 }),
      );
    },
    enabled: labelled.length > 0,
    staleTime: Infinity,
    gcTime: 60_000,
    retry: false,
    placeholderData: (previous) => previous,
  });
}
