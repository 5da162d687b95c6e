/** Every gallery image whose analysis has finished, with its result (for pooled metrics). */
import { useQueries } from '@tanstack/react-query';
import { useAnalysisSettings } from '../state/analysisSettingsStore';
import { useAnalysisToken } from './useAnalysisToken';
import type { AnalysisSummary } from '../../worker/protocol';
import { useGalleryStore, type GalleryItem } from '../state/galleryStore';
import { analysisQuery } from './useAnalysis';

export interface AnalysedItem {
  item: GalleryItem;
  result: AnalysisSummary;
}

export function useAnalysedItems(): AnalysedItem[] {
  const items = useGalleryStore((state) => state.items);
  const analysisToken = useAnalysisToken();
  const pointsPerSide = useAnalysisSettings((state) => state.pointsPerSide);
  return useQueries({
    queries: items.map((item) => analysisQuery(analysisToken, item, pointsPerSide)),
    combine: (results) =>
      results.flatMap((query, index) => {
        const item = items[index];
        return query.data && item ? [{ item, result: query.data }] : [];
      }),
  });
}
