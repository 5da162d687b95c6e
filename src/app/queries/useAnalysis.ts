/** The analysis of one gallery image with the active bundle (queued behind the others). */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { GalleryItem } from '../state/galleryStore';
import { useBundleStore } from '../state/bundleStore';
import { analysisKey } from './analysisKeys';
import { runAnalysis } from './runAnalysis';

export function analysisQuery(bundleToken: string | undefined, item: GalleryItem | null) {
  const image = item?.image;
  return queryOptions({
    queryKey: analysisKey(bundleToken ?? '', item?.id ?? ''),
    queryFn:
      bundleToken && item && image
        ? ({ signal }) => runAnalysis(bundleToken, item.id, image, signal)
        : undefined,
    enabled: Boolean(bundleToken && item?.image && item.wanted),
    staleTime: Infinity,
    gcTime: Infinity,
    retry: false,
  });
}

export function useAnalysis(item: GalleryItem | null) {
  const bundleToken = useBundleStore((state) => state.active?.token);
  return useQuery(analysisQuery(bundleToken, item));
}
