import { describe, expect, it } from 'vitest';
import { float32AtLeast, float32AtMost, maxAbsDifference, seededRandom } from './numeric';

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

describe('float32AtMost and float32AtLeast', () => {
  const isFloat32 = (value: number) => Math.fround(value) === value;

  it('keep float32 values and round others down and up to a neighbouring float32', () => {
    for (const value of [0, 1, -1, 0.5, -2.25, 3.4028234663852886e38]) {
      expect(float32AtMost(value)).toBe(value);
      expect(float32AtLeast(value)).toBe(value);
    }
    const below = float32AtMost(0.1);
    const above = float32AtLeast(0.1);
    expect(isFloat32(below) && isFloat32(above)).toBe(true);
    expect(below).toBeLessThan(0.1);
    expect(above).toBeGreaterThan(0.1);
    expect(float32AtLeast(below * (1 + 1e-9))).toBe(above); // adjacent: no float32 between
  });

  it('handle zero, the float32 range edges and NaN', () => {
    expect(float32AtMost(-1e-50)).toBe(-1.401298464324817e-45);
    expect(float32AtMost(1e-50)).toBe(0);
    expect(float32AtLeast(1e-50)).toBe(1.401298464324817e-45);
    expect(float32AtMost(1e39)).toBe(3.4028234663852886e38);
    expect(float32AtMost(-1e39)).toBe(-Infinity);
    expect(float32AtMost(Number.NaN)).toBeNaN();
  });

  it('make float32 comparisons equal the float64 ones', () => {
    const random = seededRandom(3);
    for (let i = 0; i < 2000; i++) {
      const threshold = (random() - 0.5) * 10 ** Math.floor(random() * 8 - 4);
      const most = float32AtMost(threshold);
      const least = float32AtLeast(threshold);
      for (const value of [
        most,
        least,
        Math.fround(threshold),
        Math.fround(threshold * 1.0000001),
      ]) {
        expect(value > most).toBe(value > threshold);
        expect(value < least).toBe(value < threshold);
      }
    }
  });
});
