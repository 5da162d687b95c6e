/**
 * Takes images out of the session: a running or queued analysis of theirs is cancelled, and
 * their pixels, results, progress and thumbnails are freed. Pooled metrics follow by themselves
 * (they are keyed by the images in the gallery).
 */
import type { QueryClient } from '@tanstack/react-query';
import { viewWorker } from '../compute/workers';
import { imageKey } from '../queries/analysisKeys';
import { useAnalysisProgressStore } from '../state/analysisProgressStore';
import { useGalleryStore } from '../state/galleryStore';

export function removeImages(queryClient: QueryClient, ids: readonly string[]): void {
  const removed = new Set(ids);
  const thumbnails = useGalleryStore
    .getState()
    .items.filter((item) => removed.has(item.id))
    .map((item) => item.thumbnailUrl);
  useGalleryStore.getState().remove(ids);
  // Removing a query aborts its signal: runAnalysis then cancels the job in the worker (between
  // stages) or drops it from the queue before it starts.
  for (const imageId of ids) queryClient.removeQueries({ queryKey: imageKey(imageId) });
  useAnalysisProgressStore.getState().forget(ids);
  void viewWorker().forgetImages([...ids]);
  for (const url of thumbnails) if (url.startsWith('blob:')) URL.revokeObjectURL(url);
}
