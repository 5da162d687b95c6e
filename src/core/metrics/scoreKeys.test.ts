import { expect, it } from 'vitest';
import { seededRandom } from '../testing/numericTesting';
import { scoreKey, sortKeysAscending } from './scoreKeys';

/** The score of a key (the inverse of scoreKey, up to the sign of zero). */
function keyScore(key: number): number {
  const bits = new Uint32Array([(key & 0x80000000 ? key & 0x7fffffff : ~key) >>> 0]);
  return new Float32Array(bits.buffer)[0] as number;
}

const keysOf = (scores: Float32Array) =>
  Uint32Array.from(new Uint32Array(scores.buffer), (bits) => scoreKey(bits));

it('sorts keys in the order of their scores, across signs, magnitudes, ties and subnormals', () => {
  const random = seededRandom(5);
  const scores = Float32Array.from([
    ...[0, 1e-45, -1e-45, 3.4e38, -3.4e38, 1, -1],
    ...Array.from({ length: 5000 }, () => (random() - 0.5) * 10 ** Math.floor(random() * 20 - 10)),
    ...Array.from({ length: 500 }, () => Math.round(random() * 4) / 4),
  ]);
  const keys = keysOf(scores);
  const before = keys.slice();
  const sorted = sortKeysAscending(keys);
  expect(Array.from(sorted, keyScore)).toEqual(Array.from(scores.slice().sort()));
  expect(keys).toEqual(before);
});

it('gives −0 and +0 the same key and keeps other distinct scores distinct', () => {
  const [minusZero, plusZero, tiny] = keysOf(Float32Array.from([-0, 0, 1e-45]));
  expect(minusZero).toBe(plusZero);
  expect(tiny).toBeGreaterThan(plusZero as number);
});

it('handles empty and single-key inputs', () => {
  expect(sortKeysAscending(new Uint32Array(0))).toHaveLength(0);
  expect(Array.from(sortKeysAscending(keysOf(Float32Array.from([-2.5]))), keyScore)).toEqual([
    -2.5,
  ]);
});
