import { describe, expect, it } from 'vitest';
import { FlowclasError } from '../core/errors';
import { guardAgainstCrash, type AnalysisClient } from './analysisClient';

/** A worker stand-in whose error event the test fires. */
function fakeWorker() {
  const listeners: ((event: { message: string }) => void)[] = [];
  return {
    addEventListener: (_type: string, listener: (event: { message: string }) => void) => {
      listeners.push(listener);
    },
    crash: (message: string) => listeners.forEach((listener) => listener({ message })),
  };
}

const never = () => new Promise<never>(() => undefined);

describe('guardAgainstCrash', () => {
  it('passes results through while the worker is alive', async () => {
    const worker = fakeWorker();
    const remote = { cancel: async () => 'cancelled' } as unknown as AnalysisClient;
    const client = guardAgainstCrash(remote, worker as unknown as Worker);
    await expect(client.cancel('a')).resolves.toBe('cancelled');
  });

  it('rejects pending and later calls with a message when the worker dies', async () => {
    const worker = fakeWorker();
    const remote = {
      analyze: never,
      openBundle: never,
      cancel: never,
      connectViews: never,
    } as unknown as AnalysisClient;
    const client = guardAgainstCrash(remote, worker as unknown as Worker);
    const pending = client.openBundle({ manifestUrl: 'x', allowWebGpu: false }, () => undefined);
    worker.crash('out of memory');
    await expect(pending).rejects.toThrow(FlowclasError);
    await expect(pending).rejects.toThrow(
      'The analysis worker stopped unexpectedly (out of memory). Reload the page to start it again; your images stay where they are.',
    );
    await expect(client.cancel('a')).rejects.toMatchObject({ code: 'worker-crashed' });
  });
});
