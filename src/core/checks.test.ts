import { describe, expect, it } from 'vitest';
import {
  firstNonFiniteIndex,
  groundTruthSizeProblem,
  nonFiniteModelOutputError,
  pixelPosition,
  requireFiniteScores,
  requireGroundTruthSize,
  requireValidLabels,
} from './checks';
import { InvalidInputError, ShapeMismatchError } from './errors';
import { seededRandom } from './numeric';

describe('firstNonFiniteIndex', () => {
  it('finds the first NaN or infinity in a range, as a plain search does', () => {
    const random = seededRandom(7);
    for (let trial = 0; trial < 200; trial++) {
      const nonFinite = [Number.NaN, Infinity, -Infinity];
      const values = Float32Array.from({ length: 1 + Math.floor(random() * 23) }, () =>
        random() < 0.1 ? (nonFinite[Math.floor(random() * 3)] ?? 0) : random(),
      );
      const start = Math.floor(random() * values.length);
      const end = start + Math.floor(random() * (values.length - start + 1));
      let expected = -1;
      for (let i = start; i < end && expected < 0; i++) {
        if (!Number.isFinite(values[i])) expected = i;
      }
      expect(firstNonFiniteIndex(values, start, end)).toBe(expected);
    }
  });

  it('covers the whole array by default and finds values past the last group of four', () => {
    expect(firstNonFiniteIndex(new Float64Array([0, 1, 2, 3, 4, -Infinity]))).toBe(5);
    expect(firstNonFiniteIndex(new Float64Array([0, -0, 1e308, -1e308]))).toBe(-1);
    expect(firstNonFiniteIndex([])).toBe(-1);
  });
});

describe('the checks of score maps and ground truth', () => {
  it('name a pixel by x and y', () => {
    expect(pixelPosition(7, 3)).toBe('x=1, y=2');
    expect(pixelPosition(0, 5)).toBe('x=0, y=0');
  });

  it('reject a non-finite score with its value and position, naming the image when given', () => {
    const scoreMap = { width: 2, height: 2, data: Float32Array.from([0, 1, 2, Number.NaN]) };
    expect(() => requireFiniteScores(scoreMap)).toThrow(
      'The score map has a non-finite score (NaN) at x=1, y=1; scores must be finite numbers.',
    );
    expect(() => requireFiniteScores(scoreMap, 'a.png')).toThrow(
      /^a\.png: the score map has a non-finite score \(NaN\) at x=1, y=1;/,
    );
    expect(() => requireFiniteScores(scoreMap)).toThrow(InvalidInputError);
    expect(() => requireFiniteScores({ ...scoreMap, data: new Float32Array(4) })).not.toThrow();
  });

  it('reject labels other than 0, 1, 255 with their position', () => {
    const labels = { width: 2, height: 2, data: new Uint8Array([0, 1, 255, 7]) };
    expect(() => requireValidLabels(labels, 'gt.png')).toThrow(
      'gt.png: unexpected label 7 at x=1, y=1; ground truth must hold 0 (inlier), 1 (anomaly) or 255 (ignore).',
    );
    expect(() =>
      requireValidLabels({ ...labels, data: new Uint8Array([2, 0, 0, 0]) }, 'a'),
    ).toThrow(/label 2 at x=0, y=0/);
    expect(() =>
      requireValidLabels({ ...labels, data: new Uint8Array([0, 1, 255, 1]) }, 'a'),
    ).not.toThrow();
  });

  it('say when ground truth does not have its image size', () => {
    const gt = { name: 'x_gt.png', width: 4, height: 3 };
    expect(groundTruthSizeProblem(gt, { name: 'x.png', width: 4, height: 3 })).toBeNull();
    expect(groundTruthSizeProblem(gt, { name: 'x.png', width: 3, height: 4 })).toBe(
      "x_gt.png is 4×3 but x.png is 3×4; ground truth must have the image's size.",
    );
    expect(() => requireGroundTruthSize(gt, { name: 'x.png', width: 4, height: 2 })).toThrow(
      ShapeMismatchError,
    );
    expect(() => requireGroundTruthSize(gt, { name: 'x.png', width: 4, height: 3 })).not.toThrow();
  });

  it('blame a non-finite model output on the model, saying where when it is a map', () => {
    expect(nonFiniteModelOutputError('The flow', 'likelihood', Infinity, 'x=2, y=0').message).toBe(
      'The flow produced a non-finite likelihood (Infinity) at x=2, y=0. The model or its ' +
        'inputs are broken; on WebGPU, try the WASM backend.',
    );
  });
});
