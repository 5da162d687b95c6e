/**
 * The refined map for the current smoothing settings: the worker's own result when the bins
 * match, else re-smoothed in the worker from the kept raw map and masks (no model runs).
 * With smoothing off (or no masks) the "refined" map is the raw map.
 */
import { queryOptions, useQuery } from '@tanstack/react-query';
import { useAnalysisToken } from './useAnalysisToken';
import type { ScoreMap } from '../../core/types';
import type { AnalysisResultMessage } from '../../worker/protocol';
import { useBundleStore } from '../state/bundleStore';
import { useViewSettings } from '../state/viewSettingsStore';
import { analysisWorker } from './analysisWorker';
import { refinedKey } from './analysisKeys';

export function refinedQuery(
  analysisToken: string | undefined,
  imageId: string | undefined,
  result: AnalysisResultMessage | undefined,
  smoothing: boolean,
  bins: number,
) {
  return queryOptions({
    queryKey: refinedKey(analysisToken ?? '', imageId ?? '', smoothing, bins),
    queryFn: result
      ? async (): Promise<ScoreMap> => {
          if (!smoothing || !result.masks) return result.scoreMap;
          if (result.refinedScoreMap && result.bins === bins) return result.refinedScoreMap;
          return analysisWorker().smooth(
            result.scoreMap,
            result.masks.map((automaticMask) => automaticMask.mask),
            bins,
          );
        }
      : undefined,
    enabled: result !== undefined,
    staleTime: Infinity,
    gcTime: 60_000,
    retry: false,
  });
}

/** Bins in use: the user's choice, else the bundle's. */
export function useSmoothingBins(): number {
  const chosen = useViewSettings((state) => state.bins);
  const bundleBins = useBundleStore((state) => state.active?.manifest.smoothing.bins);
  return chosen ?? bundleBins ?? 20;
}

export function useRefinedScoreMap(
  imageId: string | undefined,
  result: AnalysisResultMessage | undefined,
) {
  const analysisToken = useAnalysisToken();
  const smoothing = useViewSettings((state) => state.smoothing);
  const bins = useSmoothingBins();
  return useQuery({
    ...refinedQuery(analysisToken, imageId, result, smoothing, bins),
    // Keep showing this image's previous refined map while the next one is computed; never
    // another image's.
    placeholderData: (previous, previousQuery) =>
      previousQuery?.queryKey[2] === imageId ? previous : undefined,
  });
}
