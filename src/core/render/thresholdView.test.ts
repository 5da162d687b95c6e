import { describe, expect, it } from 'vitest';
import { thresholdToRgba } from './thresholdView';

describe('thresholdToRgba', () => {
  it('is positive iff score ≥ threshold', () => {
    const scoreMap = { width: 4, height: 1, data: new Float32Array([0.1, 0.5, 0.9, NaN]) };
    const rgba = thresholdToRgba(scoreMap, 0.5);
    expect(Array.from(rgba)).toEqual([
      0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255, 0, 0, 0, 0,
    ]);
  });

  it('uses the given colours', () => {
    const scoreMap = { width: 2, height: 1, data: new Float32Array([1, 0]) };
    const rgba = thresholdToRgba(scoreMap, 0.5, { above: [255, 0, 0, 200], below: [0, 0, 0, 0] });
    expect(Array.from(rgba)).toEqual([255, 0, 0, 200, 0, 0, 0, 0]);
  });
});
