/** The analysis of one gallery image with the active bundle (queued behind the others). */
import { queryOptions, skipToken, useQuery } from '@tanstack/react-query';
import { useAnalysisToken } from './useAnalysisToken';
import type { GalleryItem } from '../state/galleryStore';
import { useAnalysisSettings } from '../state/analysisSettingsStore';
import { analysisKey } from './analysisKeys';
import { runAnalysis } from './runAnalysis';

/** `analysisToken` (useAnalysisToken) was made with this `pointsPerSide`. */
export function analysisQuery(
  analysisToken: string | undefined,
  item: GalleryItem | null,
  pointsPerSide: number | null,
) {
  return queryOptions({
    queryKey: analysisKey(item?.id ?? '', analysisToken ?? ''),
    // Samples wait until selected (`wanted`); their cached results stay readable meanwhile.
    queryFn:
      analysisToken && item?.image && item.wanted
        ? ({ signal }) => runAnalysis(analysisToken, item.id, pointsPerSide, signal)
        : skipToken,
    staleTime: Infinity,
    gcTime: Infinity,
    retry: false,
  });
}

export function useAnalysis(item: GalleryItem | null) {
  const analysisToken = useAnalysisToken();
  const pointsPerSide = useAnalysisSettings((state) => state.pointsPerSide);
  return useQuery(analysisQuery(analysisToken, item, pointsPerSide));
}
