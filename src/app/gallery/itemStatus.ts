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

/**
 * Why an image, its ground truth or its analysis failed, in the words shown beside the selected
 * image: the thumbnail carries them too, so they can be read without selecting it.
 */
export function itemProblems(item: GalleryItem, analysisError: Error | null): string[] {
  const problems = [item.imageError, item.groundTruthError];
  if (analysisError) problems.push(`The analysis failed: ${analysisError.message}`);
  return problems.filter((problem): problem is string => Boolean(problem));
}

export const STATUS_TEXT: Record<ItemStatus, string> = {
  decoding: 'reading',
  waiting: 'not analysed yet',
  queued: 'queued',
  running: 'running',
  done: 'done',
  error: 'error',
};
