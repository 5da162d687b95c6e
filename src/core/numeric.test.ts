import { describe, expect, it } from 'vitest';
import { maxAbsDifference, seededRandom } from './numeric';

const f32 = (...values: number[]) => Float32Array.from(values);

describe('maxAbsDifference', () => {
  it('is the largest elementwise gap', () => {
    expect(maxAbsDifference(f32(1, 2, 3), f32(1, 2.5, 2))).toBeCloseTo(1);
  });
  it('treats NaN and length mismatches as infinitely different', () => {
    expect(maxAbsDifference(f32(1, 2), f32(1, Number.NaN))).toBe(Infinity);
    expect(maxAbsDifference(f32(1, 2), f32(1))).toBe(Infinity);
  });
});

describe('seededRandom', () => {
  it('repeats its sequence for a seed and stays in [0, 1)', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const draws = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(draws);
    expect(draws.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(seededRandom(8)()).not.toBe(draws[0]);
  });
});
