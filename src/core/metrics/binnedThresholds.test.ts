import { expect, it } from 'vitest';
import {
  countPassedThresholds,
  highestPassedThreshold,
  sigmoidThresholds,
} from './binnedThresholds';

/** Brute-force reference by bisection: the last index with thresholds[index] ≤ probability. */
function lastThresholdAtMost(probability: number, thresholds: Float64Array): number {
  let low = -1;
  let high = thresholds.length;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if ((thresholds[middle] as number) <= probability) low = middle;
    else high = middle;
  }
  return low;
}

it('builds numpy.linspace(0, 1, N) thresholds', () => {
  expect(Array.from(sigmoidThresholds(5))).toEqual([0, 0.25, 0.5, 0.75, 1]);
  const thresholds = sigmoidThresholds(5000);
  expect(thresholds[4999]).toBe(1);
  expect(thresholds[1234]).toBe(1234 * (1 / 4999));
});

it('counts each pixel at the highest threshold its sigmoid reaches, also right at thresholds', () => {
  const thresholds = sigmoidThresholds(5000);
  // Scores whose sigmoid lands on or within a few ulps of a threshold, where the index estimate
  // sigmoid·(N − 1) can be one off, plus the extremes.
  const scores: number[] = [-200, 200, 0, -1e-30, 1e-30];
  for (let i = 1; i < 4999; i += 7) {
    const t = thresholds[i] as number;
    const logit = Math.log(t / (1 - t));
    for (const nudge of [-2e-7, -1e-7, 0, 1e-7, 2e-7]) scores.push(Math.fround(logit + nudge));
  }
  const data = Float32Array.from(scores);
  const labels = Uint8Array.from(data, (_, i) => (i % 3 === 0 ? 1 : i % 3 === 1 ? 0 : 255));
  const anomalyCounts = new Float64Array(5000);
  const inlierCounts = new Float64Array(5000);
  const map = { width: data.length, height: 1 };
  countPassedThresholds(
    { ...map, data },
    { ...map, data: labels },
    thresholds,
    anomalyCounts,
    inlierCounts,
  );

  const expectedAnomalies = new Float64Array(5000);
  const expectedInliers = new Float64Array(5000);
  data.forEach((score, i) => {
    const probability = 1 / (1 + Math.exp(-score));
    const highest = lastThresholdAtMost(probability, thresholds);
    if (labels[i] === 1) expectedAnomalies[highest] = (expectedAnomalies[highest] as number) + 1;
    if (labels[i] === 0) expectedInliers[highest] = (expectedInliers[highest] as number) + 1;
  });
  expect(anomalyCounts).toEqual(expectedAnomalies);
  expect(inlierCounts).toEqual(expectedInliers);
});

it('finds the highest passed threshold for probabilities within ulps of a threshold', () => {
  // There the estimate probability·(N − 1) is one off in either direction for some thresholds.
  const mismatches: string[] = [];
  const cell = new Float64Array(1);
  const bits = new BigInt64Array(cell.buffer);
  for (const count of [5000, 4999, 1000, 100, 7, 2]) {
    const thresholds = sigmoidThresholds(count);
    for (const threshold of thresholds) {
      for (const ulps of [-2n, -1n, 0n, 1n, 2n]) {
        cell[0] = threshold;
        bits[0] = (bits[0] as bigint) + ulps;
        const probability = cell[0] as number;
        if (!(probability >= 0 && probability <= 1)) continue;
        const found = highestPassedThreshold(probability, thresholds);
        const expected = lastThresholdAtMost(probability, thresholds);
        if (found !== expected) mismatches.push(`N=${count}, p=${probability}: ${found}`);
      }
    }
  }
  expect(mismatches).toEqual([]);
});
