/** One analysis through the queue, reporting its phases and partial raw map to the progress store. */
import type { Rgb8Image } from '../../core/image';
import { callback } from '../../worker/analysisClient';
import type { AnalysisResultMessage } from '../../worker/protocol';
import { useAnalysisProgressStore } from '../state/analysisProgressStore';
import { useAnalysisSettings } from '../state/analysisSettingsStore';
import { analysisQueue, analysisWorker } from './analysisWorker';
import { progressKey } from './analysisKeys';

export async function runAnalysis(
  analysisToken: string,
  imageId: string,
  image: Rgb8Image,
  pointsPerSide: number | null,
  signal: AbortSignal,
): Promise<AnalysisResultMessage> {
  const key = progressKey(analysisToken, imageId);
  const { update } = useAnalysisProgressStore.getState();
  update(key, { phase: 'queued' });
  const onAbort = () => void analysisWorker().cancel(imageId);
  try {
    const result = await analysisQueue.run(async () => {
      const startedAt = performance.now();
      let promptCount = 0;
      update(key, { phase: 'running', startedAt });
      signal.addEventListener('abort', onAbort);
      const message = await analysisWorker().analyze(
        { requestId: imageId, image, ...(pointsPerSide !== null ? { pointsPerSide } : {}) },
        callback((event) => {
          if (event.kind === 'score-map') {
            update(key, {
              scoreMap: event.scoreMap,
              firstHeatmapMs: performance.now() - startedAt,
            });
          } else {
            promptCount = event.progress.promptCount;
            update(key, {
              promptsDone: event.progress.promptsDone,
              promptCount: event.progress.promptCount,
            });
          }
        }),
      );
      update(key, { phase: 'done', totalMs: performance.now() - startedAt });
      const decoderMs = message.timings['segmenter-decoder'];
      if (decoderMs !== undefined && promptCount > 0) {
        useAnalysisSettings.getState().recordDecoderTime(decoderMs, promptCount);
      }
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
