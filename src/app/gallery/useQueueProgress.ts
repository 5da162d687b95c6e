/** How far the gallery's analyses have got with the open bundle: done, running, queued, waiting. */
import { useAnalysisToken } from '../queries/useAnalysisToken';
import { useAnalysisProgressStore } from '../state/analysisProgressStore';
import { useGalleryStore } from '../state/galleryStore';

export interface QueueProgress {
  /** Images that can be analysed (decoded). */
  total: number;
  done: number;
  running: number;
  queued: number;
  failed: number;
  /** Samples not opened yet: "Analyse all" starts them. */
  waiting: number;
}

export function useQueueProgress(): QueueProgress {
  const items = useGalleryStore((state) => state.items);
  const token = useAnalysisToken();
  const byImage = useAnalysisProgressStore((state) => state.byImage);
  const progress: QueueProgress = {
    total: 0,
    done: 0,
    running: 0,
    queued: 0,
    failed: 0,
    waiting: 0,
  };
  for (const item of items) {
    if (!item.image || item.imageError) continue;
    progress.total++;
    const entry = byImage[item.id];
    const phase = entry && entry.token === token ? entry.phase : undefined;
    if (!item.wanted) progress.waiting++;
    else if (phase === 'done') progress.done++;
    else if (phase === 'running') progress.running++;
    else if (phase === 'error') progress.failed++;
    else progress.queued++;
  }
  return progress;
}
