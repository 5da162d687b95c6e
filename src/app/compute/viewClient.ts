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
