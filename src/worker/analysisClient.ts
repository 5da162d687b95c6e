/** Page side of the analysis worker: a typed proxy with the worker's own interface. */
import { proxy, wrap, type Remote } from 'comlink';
import { FlowclasError } from '../core/errors';
import { installErrorTransfer } from './errorTransfer';
import type { AnalysisWorkerApi } from './protocol';

export type AnalysisClient = Remote<AnalysisWorkerApi>;

/**
 * Comlink calls never settle when the worker dies (an uncaught error, out of memory), so every
 * call is raced against the worker's error event: a crash rejects what is pending, and every
 * later call, with a message that says what to do.
 */
export function guardAgainstCrash(
  remote: AnalysisClient,
  worker: Pick<Worker, 'addEventListener'>,
): AnalysisClient {
  const crashed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (event) => {
      const detail = event.message ? ` (${event.message})` : '';
      reject(
        new FlowclasError(
          'worker-crashed',
          `The analysis worker stopped unexpectedly${detail}. Reload the page to start it again; your images stay where they are.`,
        ),
      );
    });
  });
  crashed.catch(() => undefined); // observed by the calls below
  const guard =
    <Args extends unknown[], Result>(call: (...args: Args) => Promise<Result>) =>
    (...args: Args) =>
      Promise.race([call(...args), crashed]);
  return {
    connectViews: guard(remote.connectViews),
    openBundle: guard(remote.openBundle),
    analyze: guard(remote.analyze),
    cancelOpenBundle: guard(remote.cancelOpenBundle),
    cancel: guard(remote.cancel),
  } as AnalysisClient;
}

export function createAnalysisClient(): { client: AnalysisClient; terminate: () => void } {
  installErrorTransfer();
  const worker = new Worker(new URL('./analysisWorker.ts', import.meta.url), {
    type: 'module',
    name: 'flowclas-analysis',
  });
  return {
    client: guardAgainstCrash(wrap<AnalysisWorkerApi>(worker), worker),
    terminate: () => worker.terminate(),
  };
}

/** Callbacks cross the worker boundary as Comlink proxies. */
export const callback = proxy;
