/** One analysis through the queue, reporting its phases to the progress store. */
import { callback } from '../../worker/analysisClient';
import type { AnalysisSummary } from '../../worker/protocol';
import { useAnalysisProgressStore } from '../state/analysisProgressStore';
import { useAnalysisSettings } from '../state/analysisSettingsStore';
import { analysisQueue, analysisWorker } from './analysisWorker';

export async function runAnalysis(
  analysisToken: string,
  imageId: string,
  pointsPerSide: number | null,
  signal: AbortSignal,
): Promise<AnalysisSummary> {
  const update = (
    patch: Parameters<ReturnType<typeof useAnalysisProgressStore.getState>['update']>[2],
  ) => useAnalysisProgressStore.getState().update(imageId, analysisToken, patch);
  update({ phase: 'queued' });
  const onAbort = () => void analysisWorker().cancel(imageId);
  try {
    const result = await analysisQueue.run(async () => {
      const startedAt = performance.now();
      let promptCount = 0;
      update({ phase: 'running', startedAt });
      signal.addEventListener('abort', onAbort);
      const summary = await analysisWorker().analyze(
        {
          requestId: imageId,
          imageId,
          token: analysisToken,
          ...(pointsPerSide !== null ? { pointsPerSide } : {}),
        },
        callback((event) => {
          if (event.kind === 'score-map') {
            update({ rawReady: true, firstHeatmapMs: performance.now() - startedAt });
          } else {
            promptCount = event.progress.promptCount;
            update({
              promptsDone: event.progress.promptsDone,
              promptCount: event.progress.promptCount,
            });
          }
        }),
      );
      update({ phase: 'done', rawReady: true, totalMs: performance.now() - startedAt });
      const decoderMs = summary.timings['segmenter-decoder'];
      if (decoderMs !== undefined && promptCount > 0) {
        useAnalysisSettings.getState().recordDecoderTime(decoderMs, promptCount);
      }
      return summary;
    }, signal);
    return result;
  } catch (error) {
    // A cancelled analysis (image removed, bundle replaced) did not fail; nothing is shown for it.
    if (!signal.aborted) update({ phase: 'error' });
    throw error;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
