import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors';
import { fitWithinMaxSide, planBackboneInput } from './backboneInputPlan';
import { planAxisPadding } from './patchPadding';

describe('planAxisPadding', () => {
  it('splits the padding floor(pad/2) before, the rest after', () => {
    expect(planAxisPadding(100, 14)).toEqual({ padded: 112, before: 6, after: 6 });
    expect(planAxisPadding(15, 14)).toEqual({ padded: 28, before: 6, after: 7 });
    expect(planAxisPadding(1, 14)).toEqual({ padded: 14, before: 6, after: 7 });
    expect(planAxisPadding(13, 14)).toEqual({ padded: 14, before: 0, after: 1 });
    expect(planAxisPadding(28, 14)).toEqual({ padded: 28, before: 0, after: 0 });
  });

  it('rejects sizes that are not positive integers', () => {
    expect(() => planAxisPadding(0, 14)).toThrow(InvalidInputError);
    expect(() => planAxisPadding(10, 0)).toThrow(InvalidInputError);
  });
});

describe('fitWithinMaxSide', () => {
  it('leaves images within the limit alone', () => {
    expect(fitWithinMaxSide({ width: 448, height: 300 }, 448)).toEqual({ width: 448, height: 300 });
    expect(fitWithinMaxSide({ width: 4000, height: 300 }, undefined)).toEqual({
      width: 4000,
      height: 300,
    });
  });

  it('scales the longer side to maxSide and rounds the shorter one half up', () => {
    expect(fitWithinMaxSide({ width: 8000, height: 6000 }, 448)).toEqual({
      width: 448,
      height: 336,
    });
    // 1000 · 449 / 2000 = 224.5 → 225
    expect(fitWithinMaxSide({ width: 1000, height: 2000 }, 449)).toEqual({
      width: 225,
      height: 449,
    });
    // 1000 · 448 / 1999 = 224.11 → 224
    expect(fitWithinMaxSide({ width: 1999, height: 1000 }, 448)).toEqual({
      width: 448,
      height: 224,
    });
    expect(fitWithinMaxSide({ width: 5000, height: 3 }, 100)).toEqual({ width: 100, height: 1 });
    expect(fitWithinMaxSide({ width: 900, height: 900 }, 448)).toEqual({ width: 448, height: 448 });
  });
});

describe('planBackboneInput', () => {
  it('pads without resizing under the pad policy', () => {
    expect(planBackboneInput(100, 15, { mode: 'pad' }, 14)).toEqual({
      original: { width: 100, height: 15 },
      working: { width: 100, height: 15 },
      padded: { width: 112, height: 28 },
      padding: { top: 6, bottom: 7, left: 6, right: 6 },
      grid: { width: 8, height: 2 },
      patchSize: 14,
    });
  });

  it('shrinks to maxSide before padding', () => {
    const plan = planBackboneInput(8000, 6000, { mode: 'pad', maxSide: 448 }, 14);
    expect(plan.working).toEqual({ width: 448, height: 336 });
    expect(plan.padded).toEqual({ width: 448, height: 336 });
    expect(plan.grid).toEqual({ width: 32, height: 24 });
  });

  it('stretches to the fixed [height, width] size', () => {
    const plan = planBackboneInput(640, 480, { mode: 'stretch', size: [224, 448] }, 14);
    expect(plan.working).toEqual({ width: 448, height: 224 });
    expect(plan.padding).toEqual({ top: 0, bottom: 0, left: 0, right: 0 });
    expect(plan.grid).toEqual({ width: 32, height: 16 });
  });

  it('rejects a stretch size that is not positive', () => {
    expect(() => planBackboneInput(10, 10, { mode: 'stretch', size: [0, 14] }, 14)).toThrow(
      InvalidInputError,
    );
  });
});
