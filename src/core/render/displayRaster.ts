/**
 * Views at display size: a picture larger than MAX_DISPLAY_SIDE on its long side is shown by
 * nearest-neighbour samples (each display pixel takes the image pixel under its centre), so a
 * heatmap shows true scores, never blends of them.
 */
import { MAX_DISPLAY_SIDE } from '../defaults';
import type { Rgb8Image } from '../image';
import type { PixelMask, ScoreMap } from '../types';

export interface RasterSize {
  width: number;
  height: number;
}

export function displaySize(size: RasterSize, maxSide: number = MAX_DISPLAY_SIDE): RasterSize {
  const scale = Math.min(1, maxSide / Math.max(size.width, size.height));
  if (scale === 1) return { width: size.width, height: size.height };
  return {
    width: Math.max(1, Math.round(size.width * scale)),
    height: Math.max(1, Math.round(size.height * scale)),
  };
}

/** The source index under each display index's centre along one axis. */
function axisSamples(source: number, display: number): Int32Array {
  const samples = new Int32Array(display);
  for (let d = 0; d < display; d++) {
    samples[d] = Math.min(source - 1, Math.floor(((d + 0.5) * source) / display));
  }
  return samples;
}

const isSameSize = (a: RasterSize, b: RasterSize) => a.width === b.width && a.height === b.height;

export function sampleScoreMap(map: ScoreMap, display: RasterSize): ScoreMap {
  if (isSameSize(map, display)) return map;
  const columns = axisSamples(map.width, display.width);
  const rows = axisSamples(map.height, display.height);
  const data = new Float32Array(display.width * display.height);
  for (let y = 0, i = 0; y < display.height; y++) {
    const row = (rows[y] as number) * map.width;
    for (let x = 0; x < display.width; x++, i++)
      data[i] = map.data[row + (columns[x] as number)] as number;
  }
  return { ...display, data };
}

export function sampleRgb(image: Rgb8Image, display: RasterSize): Rgb8Image {
  if (isSameSize(image, display)) return image;
  const columns = axisSamples(image.width, display.width);
  const rows = axisSamples(image.height, display.height);
  const data = new Uint8Array(display.width * display.height * 3);
  for (let y = 0, i = 0; y < display.height; y++) {
    const row = (rows[y] as number) * image.width;
    for (let x = 0; x < display.width; x++, i += 3) {
      const source = (row + (columns[x] as number)) * 3;
      data[i] = image.data[source] as number;
      data[i + 1] = image.data[source + 1] as number;
      data[i + 2] = image.data[source + 2] as number;
    }
  }
  return { ...display, data };
}

/** Inverse of the axis samples: the display index a source index is sampled at, or -1. */
function sampledAt(source: number, display: number): Int32Array {
  const at = new Int32Array(source).fill(-1);
  axisSamples(source, display).forEach((sourceIndex, displayIndex) => {
    at[sourceIndex] = displayIndex;
  });
  return at;
}

/** The mask's pixels that are display samples, as display pixel indices (ascending). */
export function sampleMasks(masks: readonly PixelMask[], display: RasterSize): PixelMask[] {
  const first = masks[0];
  if (!first || isSameSize(first, display)) return [...masks];
  const columns = sampledAt(first.width, display.width);
  const rows = sampledAt(first.height, display.height);
  return masks.map((mask) => {
    const kept: number[] = [];
    for (const pixel of mask.pixels) {
      const x = columns[pixel % mask.width] as number;
      const y = rows[Math.floor(pixel / mask.width)] as number;
      if (x >= 0 && y >= 0) kept.push(y * display.width + x);
    }
    return { ...display, pixels: Uint32Array.from(kept) };
  });
}
