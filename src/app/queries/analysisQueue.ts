/**
 * Runs jobs one at a time in arrival order: the analysis worker holds one set of sessions, and
 * interleaved analyses would only make each one slower. An aborted job leaves the queue.
 */
import { FlowclasError } from '../../core/errors';

export interface SerialQueue {
  run<T>(job: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

const cancelled = () => new FlowclasError('cancelled', 'The analysis was cancelled.');

export function createSerialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run(job, signal) {
      const result = tail.then(() => {
        if (signal?.aborted) throw cancelled();
        return job();
      });
      tail = result.catch(() => undefined);
      return result;
    },
  };
}
