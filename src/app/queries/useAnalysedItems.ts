/** Every gallery image whose analysis has finished, with its result (for pooled metrics). */
import { useQueries } from '@tanstack/react-query';
import type { AnalysisResultMessage } from '../../worker/protocol';
import { useBundleStore } from '../state/bundleStore';
import { useGalleryStore, type GalleryItem } from '../state/galleryStore';
import { analysisQuery } from './useAnalysis';

export interface AnalysedItem {
  item: GalleryItem;
  result: AnalysisResultMessage;
}

export function useAnalysedItems(): AnalysedItem[] {
  const items = useGalleryStore((state) => state.items);
  const bundleToken = useBundleStore((state) => state.active?.token);
  return useQueries({
    queries: items.map((item) => analysisQuery(bundleToken, item)),
    combine: (results) =>
      results.flatMap((query, index) => {
        const item = items[index];
        return query.data && item ? [{ item, result: query.data }] : [];
      }),
  });
}
