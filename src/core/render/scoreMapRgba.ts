import { InvalidInputError } from '../errors';
import type { ScoreMap } from '../types';
import { colormapLut, LUT_SIZE, type ColormapName } from './colormaps';

export interface ScoreColouring {
  colormap: ColormapName;
  /** Scores at or below lo take the map's first colour, at or above hi its last. */
  range: readonly [number, number];
}

/**
 * A score map as RGBA pixels (row-major, 4 bytes per pixel) for a canvas or PNG. Values are
 * clamped into the range and quantised to the nearest of the 256 LUT entries. NaN pixels are
 * left transparent, so a broken value is visible instead of looking like a low score.
 */
export function scoreMapToRgba(scoreMap: ScoreMap, colouring: ScoreColouring): Uint8ClampedArray {
  const [lo, hi] = colouring.range;
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi < lo) {
    throw new InvalidInputError(`A colour range needs finite lo ≤ hi (got [${lo}, ${hi}]).`);
  }
  const lut = colormapLut(colouring.colormap);
  const top = LUT_SIZE - 1;
  // A constant map's automatic range is degenerate: show a step at that value.
  const scale = hi > lo ? top / (hi - lo) : 0;
  const { data } = scoreMap;
  const rgba = new Uint8ClampedArray(data.length * 4);
  for (let pixel = 0; pixel < data.length; pixel++) {
    const value = data[pixel] ?? NaN;
    if (Number.isNaN(value)) continue;
    const index =
      scale === 0
        ? value >= hi
          ? top
          : 0
        : Math.round((Math.min(Math.max(value, lo), hi) - lo) * scale);
    for (let c = 0; c < 4; c++) rgba[pixel * 4 + c] = lut[index * 4 + c] ?? 0;
  }
  return rgba;
}
