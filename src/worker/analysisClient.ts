/** Page side of the analysis worker: a typed proxy with the worker's own interface. */
import { proxy, wrap, type Remote } from 'comlink';
import { installErrorTransfer } from './errorTransfer';
import type { AnalysisWorkerApi } from './protocol';

export type AnalysisClient = Remote<AnalysisWorkerApi>;

export function createAnalysisClient(): { client: AnalysisClient; terminate: () => void } {
  installErrorTransfer();
  const worker = new Worker(new URL('./analysisWorker.ts', import.meta.url), {
    type: 'module',
    name: 'flowclas-analysis',
  });
  return { client: wrap<AnalysisWorkerApi>(worker), terminate: () => worker.terminate() };
}

/** Callbacks cross the worker boundary as Comlink proxies. */
export const callback = proxy;
