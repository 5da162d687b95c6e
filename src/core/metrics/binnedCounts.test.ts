import { describe, expect, it } from 'vitest';
import { seededNormal } from '../testing/numericTesting';
import type { LabelMap, ScoreMap } from '../types';
import { binnedCountsMetrics, sumBinnedCounts } from './binnedCounts';
import { createMetricsAccumulator, type MetricsAccumulator } from './metricsAccumulator';

function countsOf(accumulator: MetricsAccumulator | undefined) {
  const counts = accumulator?.binnedCounts();
  if (!counts) throw new Error('expected a binned accumulator');
  return counts;
}

function randomImage(seed: number): { scores: ScoreMap; labels: LabelMap } {
  const noise = seededNormal(seed);
  const [width, height] = [31, 17];
  const labels = new Uint8Array(width * height).map((_, i) => (i % 7 === 0 ? 1 : i % 11 ? 0 : 255));
  const scores = Float32Array.from(labels, (label) => (label === 1 ? 1 : 0) + noise());
  return { scores: { width, height, data: scores }, labels: { width, height, data: labels } };
}

describe('binned counts of separate runs pool like one run', () => {
  it('sums to the single accumulator’s counts and metrics, exactly', () => {
    const images = [1, 2, 3, 4, 5].map(randomImage);
    const single = createMetricsAccumulator({ mode: 'binned', bins: 500 });
    const shards = [0, 1].map(() => createMetricsAccumulator({ mode: 'binned', bins: 500 }));
    images.forEach(({ scores, labels }, index) => {
      single.add(scores, labels);
      shards[index % 2]?.add(scores, labels);
    });
    const pooled = sumBinnedCounts(shards.map(countsOf));
    expect(pooled).toEqual(single.binnedCounts());
    expect(binnedCountsMetrics(pooled)).toEqual(single.result().pooled);
  });

  it('refuses to pool different threshold counts; exact mode has no counts', () => {
    const [a, b] = [100, 200].map((bins) => createMetricsAccumulator({ mode: 'binned', bins }));
    expect(() => sumBinnedCounts([countsOf(a), countsOf(b)])).toThrow(/200/);
    expect(createMetricsAccumulator({ mode: 'exact' }).binnedCounts()).toBeUndefined();
  });
});
