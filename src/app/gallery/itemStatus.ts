/** What a gallery thumbnail says about its image. */
import type { AnalysisPhase } from '../state/analysisProgressStore';
import type { GalleryItem } from '../state/galleryStore';

export type ItemStatus = 'decoding' | 'waiting' | AnalysisPhase;

export function itemStatus(
  item: GalleryItem,
  phase: AnalysisPhase | undefined,
  hasBundle: boolean,
): ItemStatus {
  if (item.imageError) return 'error';
  if (!item.image) return 'decoding';
  if (!item.wanted || !hasBundle) return 'waiting';
  return phase ?? 'queued';
}

export const STATUS_TEXT: Record<ItemStatus, string> = {
  decoding: 'reading',
  waiting: 'not analysed yet',
  queued: 'queued',
  running: 'running',
  done: 'done',
  error: 'error',
};
