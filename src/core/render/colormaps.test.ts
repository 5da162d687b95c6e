import { interpolateInferno, interpolateTurbo, interpolateViridis } from 'd3-scale-chromatic';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors';
import { COLORMAP_NAMES, colormapLut, isColormapName, parseCssColour } from './colormaps';

describe('colormapLut', () => {
  it('samples d3 at t = i/255 for every map', () => {
    const inferno = colormapLut('inferno');
    expect(Array.from(inferno.subarray(0, 4))).toEqual([0, 0, 4, 255]); // #000004
    expect(Array.from(inferno.subarray(255 * 4))).toEqual([
      ...parseCssColour(interpolateInferno(1)),
      255,
    ]);
    expect(Array.from(colormapLut('viridis').subarray(51 * 4, 52 * 4))).toEqual([
      ...parseCssColour(interpolateViridis(51 / 255)),
      255,
    ]);
    expect(Array.from(colormapLut('turbo').subarray(128 * 4, 129 * 4))).toEqual([
      ...parseCssColour(interpolateTurbo(128 / 255)),
      255,
    ]);
  });

  it('builds each table once', () => {
    for (const name of COLORMAP_NAMES) {
      expect(colormapLut(name)).toHaveLength(1024);
      expect(colormapLut(name)).toBe(colormapLut(name));
    }
  });

  it('has a grey map from black to white', () => {
    const grey = colormapLut('grey');
    expect(Array.from(grey.subarray(0, 4))).toEqual([0, 0, 0, 255]);
    expect(Array.from(grey.subarray(100 * 4, 101 * 4))).toEqual([100, 100, 100, 255]);
    expect(Array.from(grey.subarray(255 * 4))).toEqual([255, 255, 255, 255]);
  });

  it('names the choices for an unknown map', () => {
    expect(isColormapName('magma')).toBe(true);
    expect(isColormapName('jet')).toBe(false);
    expect(() => colormapLut('jet' as 'grey')).toThrow(InvalidInputError);
    expect(() => colormapLut('jet' as 'grey')).toThrow(/inferno, viridis/);
  });

  it('reads both colour notations d3 produces', () => {
    expect(parseCssColour('#bc3754')).toEqual([188, 55, 84]);
    expect(parseCssColour('rgb(149, 251, 81)')).toEqual([149, 251, 81]);
    expect(() => parseCssColour('hsl(0, 0%, 0%)')).toThrow(InvalidInputError);
  });
});
