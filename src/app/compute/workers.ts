/**
 * The page's two workers, created together on first use and joined by a port of their own: the
 * analysis worker reads pixels from and hands results to the view worker without the page.
 */
import { transfer, wrap, type Remote } from 'comlink';
import { createAnalysisClient, type AnalysisClient } from '../../worker/analysisClient';
import { installErrorTransfer } from '../../worker/errorTransfer';
import type { ViewWorkerApi } from '../../worker/viewProtocol';

interface Workers {
  analysis: AnalysisClient;
  views: Remote<ViewWorkerApi>;
}

let workers: Workers | undefined;

function startWorkers(): Workers {
  installErrorTransfer();
  const views = wrap<ViewWorkerApi>(
    new Worker(new URL('../../worker/viewWorker.ts', import.meta.url), {
      type: 'module',
      name: 'flowclas-views',
    }),
  );
  const analysis = createAnalysisClient().client;
  const channel = new MessageChannel();
  void views.connectAnalysis(transfer(channel.port1, [channel.port1]));
  void analysis.connectViews(transfer(channel.port2, [channel.port2]));
  return { analysis, views };
}

export function viewWorker(): Remote<ViewWorkerApi> {
  workers ??= startWorkers();
  return workers.views;
}

export function analysisWorker(): AnalysisClient {
  workers ??= startWorkers();
  return workers.analysis;
}

/**
 * Starts a view-worker call in a task of its own, so a result that sets off several views at
 * once does not make one long task of all their requests.
 */
export function inOwnTask<T>(call: () => Promise<T>): Promise<T> {
  return new Promise((resolve) => setTimeout(resolve, 0)).then(call);
}
