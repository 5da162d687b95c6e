import { describe, expect, it } from 'vitest';
import { createSerialQueue } from './analysisQueue';

describe('createSerialQueue', () => {
  it('runs jobs one after another, in order, even when one fails', async () => {
    const queue = createSerialQueue();
    const log: string[] = [];
    const job =
      (name: string, fail = false) =>
      async () => {
        log.push(`start ${name}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      queue.run(job('a')),
      queue.run(job('b', true)),
      queue.run(job('c')),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('skips a job whose signal was aborted while it waited', async () => {
    const queue = createSerialQueue();
    const controller = new AbortController();
    const first = queue.run(() => new Promise((resolve) => setTimeout(resolve, 5)));
    const skipped = queue.run(async () => 'ran', controller.signal);
    controller.abort();
    await first;
    await expect(skipped).rejects.toMatchObject({ code: 'cancelled' });
  });
});
