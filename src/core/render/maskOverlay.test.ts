import { describe, expect, it } from 'vitest';
import { ShapeMismatchError } from '../errors';
import type { PixelMask } from '../types';
import { compositeOver } from './compositeOver';
import { maskPalette, renderMaskOverlay } from './maskOverlay';

function alphaGrid(rgba: Uint8ClampedArray, width: number): string[] {
  const rows: string[] = [];
  for (let i = 0; i < rgba.length / 4; i += width) {
    let row = '';
    for (let x = 0; x < width; x++) {
      const alpha = rgba[(i + x) * 4 + 3];
      row += alpha === 255 ? '#' : alpha === 0 ? '.' : 'o';
    }
    rows.push(row);
  }
  return rows;
}

function rectangle(
  width: number,
  height: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): PixelMask {
  const pixels: number[] = [];
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) pixels.push(y * width + x);
  return { width, height, pixels: Uint32Array.from(pixels) };
}

describe('renderMaskOverlay', () => {
  it('draws opaque outlines on the mask boundary and a translucent fill inside', () => {
    const mask = rectangle(7, 6, 1, 1, 5, 4);
    const rgba = renderMaskOverlay({ width: 7, height: 6 }, [mask]);
    expect(alphaGrid(rgba, 7)).toEqual([
      '.......',
      '.#####.',
      '.#ooo#.',
      '.#ooo#.',
      '.#####.',
      '.......',
    ]);
    expect(rgba[(2 * 7 + 2) * 4 + 3]).toBe(Math.round(0.45 * 255));
  });

  it('does not outline along the image border', () => {
    const mask = rectangle(4, 3, 0, 0, 3, 1); // touches the top, left and right edges
    const rgba = renderMaskOverlay({ width: 4, height: 3 }, [mask]);
    expect(alphaGrid(rgba, 4)).toEqual(['oooo', '####', '....']);
  });

  it('gives each mask its own colour and paints later masks over earlier ones', () => {
    const under = rectangle(4, 1, 0, 0, 2, 0);
    const over = rectangle(4, 1, 2, 0, 3, 0);
    const [first, second] = maskPalette(2);
    const rgba = renderMaskOverlay({ width: 4, height: 1 }, [under, over], { outline: false });
    expect(Array.from(rgba.subarray(0, 3))).toEqual(first?.slice(0, 3));
    expect(Array.from(rgba.subarray(8, 11))).toEqual(second?.slice(0, 3));
    expect(first).not.toEqual(second);
  });

  it('outlines where a mask meets another mask', () => {
    const left = rectangle(4, 1, 0, 0, 1, 0);
    const right = rectangle(4, 1, 2, 0, 3, 0);
    const rgba = renderMaskOverlay({ width: 4, height: 1 }, [left, right]);
    expect(alphaGrid(rgba, 4)).toEqual(['o##o']);
  });

  it('rejects a mask of another size', () => {
    expect(() => renderMaskOverlay({ width: 4, height: 4 }, [rectangle(4, 3, 0, 0, 1, 1)])).toThrow(
      ShapeMismatchError,
    );
  });
});

describe('maskPalette', () => {
  it('gives distinct opaque colours', () => {
    const palette = maskPalette(64);
    expect(new Set(palette.map((c) => c.join(','))).size).toBe(64);
    expect(palette.every((c) => c[3] === 255)).toBe(true);
  });
});

describe('compositeOver', () => {
  it('blends a straight-alpha layer over an opaque base', () => {
    const base = new Uint8ClampedArray([100, 100, 100, 255, 10, 20, 30, 255]);
    const layer = new Uint8ClampedArray([200, 0, 0, 255, 200, 0, 0, 0]);
    expect(Array.from(compositeOver(base, layer, 0.5))).toEqual([
      150, 50, 50, 255, 10, 20, 30, 255,
    ]);
  });

  it('rejects layers of another size', () => {
    expect(() => compositeOver(new Uint8ClampedArray(8), new Uint8ClampedArray(4))).toThrow(
      ShapeMismatchError,
    );
  });
});
