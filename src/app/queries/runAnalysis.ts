/** One analysis through the queue, reporting its phases and partial raw map to the progress store. */
import type { Rgb8Image } from '../../core/image';
import { callback } from '../../worker/analysisClient';
import type { AnalysisResultMessage } from '../../worker/protocol';
import { useAnalysisProgressStore } from '../state/analysisProgressStore';
import { analysisQueue, analysisWorker } from './analysisWorker';
import { progressKey } from './analysisKeys';

export async function runAnalysis(
  bundleToken: string,
  imageId: string,
  image: Rgb8Image,
  signal: AbortSignal,
): Promise<AnalysisResultMessage> {
  const key = progressKey(bundleToken, imageId);
  const { update } = useAnalysisProgressStore.getState();
  update(key, { phase: 'queued' });
  const onAbort = () => void analysisWorker().cancel(imageId);
  try {
    const result = await analysisQueue.run(async () => {
      const startedAt = performance.now();
      update(key, { phase: 'running', startedAt });
      signal.addEventListener('abort', onAbort);
      const message = await analysisWorker().analyze(
        { requestId: imageId, image },
        callback((event) => {
          if (event.kind === 'score-map') {
            update(key, {
              scoreMap: event.scoreMap,
              firstHeatmapMs: performance.now() - startedAt,
            });
          } else {
            update(key, {
              promptsDone: event.progress.promptsDone,
              promptCount: event.progress.promptCount,
            });
          }
        }),
      );
      update(key, { phase: 'done', totalMs: performance.now() - startedAt });
      return message;
    }, signal);
    return result;
  } catch (error) {
    // A cancelled analysis (image removed, bundle replaced) did not fail; nothing is shown for it.
    if (!signal.aborted) update(key, { phase: 'error' });
    throw error;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
