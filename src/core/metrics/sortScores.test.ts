import { expect, it } from 'vitest';
import { seededRandom } from '../smoothing/testing/seededRandom';
import { sortScoresAscending } from './sortScores';

it('sorts like a numeric sort, across signs, magnitudes, ties and subnormals', () => {
  const random = seededRandom(5);
  const special = [0, -0, 1e-45, -1e-45, 3.4e38, -3.4e38, Infinity, -Infinity, 1, -1];
  const scores = Float32Array.from([
    ...special,
    ...Array.from({ length: 5000 }, () => (random() - 0.5) * 10 ** Math.floor(random() * 20 - 10)),
    ...Array.from({ length: 500 }, () => Math.round(random() * 4) / 4),
  ]);
  const before = scores.slice();
  const sorted = sortScoresAscending(scores);
  // toEqual tells −0 from +0, so this also pins −0 just below +0, as the typed-array sort does.
  expect(Array.from(sorted)).toEqual(Array.from(scores.slice().sort()));
  expect(scores).toEqual(before);
});

it('handles empty and single-element inputs', () => {
  expect(sortScoresAscending(new Float32Array(0))).toHaveLength(0);
  expect(Array.from(sortScoresAscending(Float32Array.from([-2.5])))).toEqual([-2.5]);
});
