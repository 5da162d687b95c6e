import { interpolateInferno } from 'd3-scale-chromatic';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors';
import { colormapLut, parseCssColour } from './colormaps';
import { scoreMapToRgba } from './scoreMapRgba';

function pixel(rgba: Uint8ClampedArray, index: number): number[] {
  return Array.from(rgba.subarray(index * 4, index * 4 + 4));
}

describe('scoreMapToRgba', () => {
  it('maps the range ends to the LUT ends and clamps outside values', () => {
    const scoreMap = { width: 4, height: 1, data: new Float32Array([0, 1, -3, 7]) };
    const rgba = scoreMapToRgba(scoreMap, { colormap: 'inferno', range: [0, 1] });
    const lut = colormapLut('inferno');
    const first = Array.from(lut.subarray(0, 4));
    const last = Array.from(lut.subarray(1020, 1024));
    expect([0, 1, 2, 3].map((i) => pixel(rgba, i))).toEqual([first, last, first, last]);
  });

  it("paints d3's own inferno colour at a score on the LUT grid, and near it at 0.5", () => {
    const scoreMap = { width: 2, height: 1, data: new Float32Array([0.2, 0.5]) };
    const rgba = scoreMapToRgba(scoreMap, { colormap: 'inferno', range: [0, 1] });
    expect(pixel(rgba, 0)).toEqual([...parseCssColour(interpolateInferno(0.2)), 255]);
    const [r, g, b] = parseCssColour(interpolateInferno(0.5));
    const actual = pixel(rgba, 1);
    [r, g, b].forEach((channel, c) =>
      expect(Math.abs((actual[c] ?? 0) - channel)).toBeLessThanOrEqual(2),
    );
  });

  it('scales an arbitrary range onto the table', () => {
    const scoreMap = { width: 2, height: 1, data: new Float32Array([0, -0.5]) };
    const rgba = scoreMapToRgba(scoreMap, { colormap: 'grey', range: [-1, 1] });
    expect(pixel(rgba, 0)).toEqual([128, 128, 128, 255]); // round(127.5)
    expect(pixel(rgba, 1)).toEqual([64, 64, 64, 255]); // round(63.75)
  });

  it('leaves NaN transparent and shows a step for a degenerate range', () => {
    const scoreMap = { width: 3, height: 1, data: new Float32Array([NaN, 0.2, 0.3]) };
    const rgba = scoreMapToRgba(scoreMap, { colormap: 'grey', range: [0.3, 0.3] });
    expect([0, 1, 2].map((i) => pixel(rgba, i))).toEqual([
      [0, 0, 0, 0],
      [0, 0, 0, 255],
      [255, 255, 255, 255],
    ]);
  });

  it('rejects an inverted or non-finite range', () => {
    const scoreMap = { width: 1, height: 1, data: new Float32Array([0]) };
    expect(() => scoreMapToRgba(scoreMap, { colormap: 'grey', range: [1, 0] })).toThrow(
      InvalidInputError,
    );
    expect(() => scoreMapToRgba(scoreMap, { colormap: 'grey', range: [0, Infinity] })).toThrow(
      InvalidInputError,
    );
  });
});
