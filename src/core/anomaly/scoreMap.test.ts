import type { FlowOutputKind } from '../defaults';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, ShapeMismatchError } from '../errors';
import { planBackboneInput, type ResizePolicy } from '../image/backboneInputPlan';
import { maxAbsDifference, randomFloat32 } from '../testing/numericTesting';
import { runPythonReference } from '../testing/pythonReference';
import { flowOutputToLikelihoodGrid } from './likelihoodGrid';
import { likelihoodGridToScoreMap } from './scoreMap';

const reference = fileURLToPath(new URL('./anomaly.reference.py', import.meta.url));

describe('likelihoodGridToScoreMap matches the numpy reference', () => {
  const cases: [string, number, number, ResizePolicy, FlowOutputKind][] = [
    ['pad, odd sizes', 45, 29, { mode: 'pad' }, 'likelihood'],
    ['pad, log-likelihood', 45, 29, { mode: 'pad' }, 'log-likelihood'],
    ['pad, exact multiple', 28, 42, { mode: 'pad' }, 'likelihood'],
    ['maxSide shrank the image', 130, 71, { mode: 'pad', maxSide: 50 }, 'likelihood'],
    ['stretch, mixed axes', 90, 20, { mode: 'stretch', size: [28, 56] }, 'log-likelihood'],
    ['a single pixel', 1, 1, { mode: 'pad' }, 'likelihood'],
  ];
  for (const [name, width, height, policy, kind] of cases) {
    it(name, () => {
      const plan = planBackboneInput(width, height, policy, 14);
      const { grid } = plan;
      const data = randomFloat32(grid.height * grid.width, width * height, -2, 1);
      const likelihoodGrid = flowOutputToLikelihoodGrid(
        { data, dims: [1, 1, grid.height, grid.width] },
        grid,
        kind,
      );
      const scoreMap = likelihoodGridToScoreMap(likelihoodGrid, plan);
      const expected = runPythonReference(
        reference,
        { grid: { data, shape: [grid.height, grid.width] } },
        {
          op: 'score',
          kind,
          patchSize: 14,
          top: plan.padding.top,
          left: plan.padding.left,
          workingHeight: plan.working.height,
          workingWidth: plan.working.width,
          height,
          width,
        },
      );
      expect(expected.result?.shape).toEqual([height, width]);
      expect([scoreMap.width, scoreMap.height]).toEqual([width, height]);
      expect(maxAbsDifference(scoreMap.data, expected.result?.data as Float32Array)).toBeLessThan(
        1e-5,
      );
    });
  }

  it('is 1 − q exactly at a patch centre', () => {
    const plan = planBackboneInput(28, 14, { mode: 'pad' }, 14);
    const grid = flowOutputToLikelihoodGrid(
      { data: new Float32Array([0.25, 0.75]), dims: [1, 1, 1, 2] },
      plan.grid,
      'likelihood',
    );
    const scoreMap = likelihoodGridToScoreMap(grid, plan);
    expect(scoreMap.data[0]).toBe(0.75); // clamped left edge
    expect(scoreMap.data[27]).toBe(0.25); // clamped right edge
    // x = 14 sits at source (14.5/14 − 0.5) ≈ 0.536: between the two cells
    expect(scoreMap.data[14]).toBeCloseTo(1 - (0.25 + (0.75 - 0.25) * (14.5 / 14 - 0.5)), 6);
  });

  it('rejects a grid of the wrong size', () => {
    const plan = planBackboneInput(28, 28, { mode: 'pad' }, 14);
    const grid = { kind: 'likelihood' as const, height: 1, width: 2, data: new Float32Array(2) };
    expect(() => likelihoodGridToScoreMap(grid, plan)).toThrow(ShapeMismatchError);
  });
});

describe('flowOutputToLikelihoodGrid', () => {
  const grid = { height: 2, width: 2 };

  it('rejects NaN and infinite likelihoods, naming the cell', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const output = { data: new Float32Array([0.1, 0.2, bad, 0.4]), dims: [1, 1, 2, 2] };
      expect(() => flowOutputToLikelihoodGrid(output, grid, 'likelihood')).toThrow(
        InvalidInputError,
      );
      expect(() => flowOutputToLikelihoodGrid(output, grid, 'likelihood')).toThrow(
        /grid cell x=0, y=1/,
      );
    }
  });

  it('rejects an output of the wrong shape', () => {
    const output = { data: new Float32Array(4), dims: [1, 2, 2, 1] };
    expect(() => flowOutputToLikelihoodGrid(output, grid, 'likelihood')).toThrow(
      /\[1, 2, 2, 1\].*\[1, 1, 2, 2\]/,
    );
  });
});
