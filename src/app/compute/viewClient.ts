/** The page's handle on the view worker (one per page, created on first use). */
import { wrap, type Remote } from 'comlink';
import { installErrorTransfer } from '../../worker/errorTransfer';
import type { ViewService } from './viewService';

let client: Remote<ViewService> | undefined;

export function viewWorker(): Remote<ViewService> {
  if (!client) {
    installErrorTransfer();
    const worker = new Worker(new URL('./viewWorker.ts', import.meta.url), {
      type: 'module',
      name: 'flowclas-views',
    });
    client = wrap<ViewService>(worker);
  }
  return client;
}

/**
 * Starts a view-worker call in a task of its own. Each call copies its maps to the worker (a
 * structured clone, megabytes for a large image); a result that sets off several views at once
 * would otherwise make one long task of all the copies.
 */
export function inOwnTask<T>(call: () => Promise<T>): Promise<T> {
  return new Promise((resolve) => setTimeout(resolve, 0)).then(call);
}
