import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors';
import { planAxisResampling, sliceAxisResampling, type AxisResampling } from './axisResampling';

function taps(plan: AxisResampling, output: number): [number, number][] {
  const result: [number, number][] = [];
  for (let tap = plan.offsets[output] ?? 0; tap < (plan.offsets[output + 1] ?? 0); tap++) {
    result.push([plan.indices[tap] ?? -1, plan.weights[tap] ?? NaN]);
  }
  return result;
}

describe('planAxisResampling', () => {
  it('averages overlapping adaptive-pool windows when shrinking (5 → 3)', () => {
    const plan = planAxisResampling(5, 3);
    // windows [0, 2), [1, 4), [3, 5)
    expect(taps(plan, 0)).toEqual([
      [0, 0.5],
      [1, 0.5],
    ]);
    expect(taps(plan, 1).map(([index]) => index)).toEqual([1, 2, 3]);
    expect(taps(plan, 1).every(([, weight]) => Math.abs(weight - 1 / 3) < 1e-15)).toBe(true);
    expect(taps(plan, 2)).toEqual([
      [3, 0.5],
      [4, 0.5],
    ]);
  });

  it('interpolates with half-pixel centres and clamps at the edges when growing (2 → 4)', () => {
    const plan = planAxisResampling(2, 4);
    expect(taps(plan, 0)).toEqual([[0, 1]]);
    expect(taps(plan, 1)).toEqual([
      [0, 0.75],
      [1, 0.25],
    ]);
    expect(taps(plan, 2)).toEqual([
      [0, 0.25],
      [1, 0.75],
    ]);
    expect(taps(plan, 3)).toEqual([[1, 1]]);
  });

  it('upsamples a single input to a constant', () => {
    const plan = planAxisResampling(1, 4);
    for (let i = 0; i < 4; i++) expect(taps(plan, i)).toEqual([[0, 1]]);
  });

  it('is the identity for equal lengths', () => {
    const plan = planAxisResampling(3, 3);
    expect([0, 1, 2].map((i) => taps(plan, i))).toEqual([[[0, 1]], [[1, 1]], [[2, 1]]]);
  });

  it('rejects lengths that are not positive integers', () => {
    expect(() => planAxisResampling(0, 3)).toThrow(InvalidInputError);
    expect(() => planAxisResampling(3, 2.5)).toThrow(InvalidInputError);
  });
});

describe('sliceAxisResampling', () => {
  it('keeps the taps of the chosen outputs', () => {
    const full = planAxisResampling(3, 42);
    const slice = sliceAxisResampling(full, 5, 40);
    expect(slice.outLength).toBe(35);
    for (let i = 0; i < 35; i++) expect(taps(slice, i)).toEqual(taps(full, i + 5));
  });

  it('rejects empty and out-of-range slices', () => {
    const full = planAxisResampling(3, 42);
    expect(() => sliceAxisResampling(full, 4, 4)).toThrow(InvalidInputError);
    expect(() => sliceAxisResampling(full, 0, 43)).toThrow(InvalidInputError);
  });
});
