import { InvalidInputError } from '../errors';
import type { PixelMask } from '../types';

/**
 * COCO uncompressed RLE: run lengths over the pixels in column-major (Fortran) order, alternating
 * 0-runs and 1-runs and starting with a (possibly empty) 0-run. size is [H, W].
 */
export interface CocoRle {
  size: [number, number];
  counts: number[];
}

/** PixelMask (row-major indices) → COCO RLE (column-major runs, leading zero run). */
export function pixelMaskToRle(mask: PixelMask): CocoRle {
  const { width, height, pixels } = mask;
  requireAscendingPixels(mask);
  // Counting sort by column: rows arrive ascending, so each column stays sorted by row.
  const columnStarts = new Uint32Array(width + 1);
  for (const pixel of pixels) increment(columnStarts, (pixel % width) + 1);
  for (let x = 0; x < width; x++) {
    columnStarts[x + 1] = (columnStarts[x + 1] ?? 0) + (columnStarts[x] ?? 0);
  }
  const fortranIndices = new Uint32Array(pixels.length);
  for (const pixel of pixels) {
    const x = pixel % width;
    const y = (pixel - x) / width;
    fortranIndices[columnStarts[x] ?? 0] = x * height + y;
    increment(columnStarts, x);
  }
  const counts: number[] = [];
  let cursor = 0;
  for (let i = 0; i < fortranIndices.length;) {
    const start = fortranIndices[i] ?? 0;
    let end = start + 1;
    i++;
    while (i < fortranIndices.length && fortranIndices[i] === end) {
      end++;
      i++;
    }
    counts.push(start - cursor, end - start);
    cursor = end;
  }
  if (cursor < width * height) counts.push(width * height - cursor);
  return { size: [height, width], counts };
}

/** COCO RLE → PixelMask with ascending row-major pixel indices. */
export function rleToPixelMask(rle: CocoRle): PixelMask {
  const [height, width] = rle.size;
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 1 || width < 1) {
    throw new InvalidInputError(`An RLE mask size must be two positive whole numbers [H, W].`);
  }
  let total = 0;
  let area = 0;
  rle.counts.forEach((count, i) => {
    if (!Number.isInteger(count) || count < 0) {
      throw new InvalidInputError(`RLE counts must be non-negative whole numbers (got ${count}).`);
    }
    total += count;
    if (i % 2 === 1) area += count;
  });
  if (total !== width * height) {
    throw new InvalidInputError(
      `The RLE counts add up to ${total} pixels, but its size ${height}×${width} has ${width * height}.`,
    );
  }
  // Counting sort by row: runs visit columns left to right, so each row stays sorted by column.
  const rowStarts = new Uint32Array(height + 1);
  forEachFortranPixel(rle.counts, (f) => increment(rowStarts, (f % height) + 1));
  for (let y = 0; y < height; y++) rowStarts[y + 1] = (rowStarts[y + 1] ?? 0) + (rowStarts[y] ?? 0);
  const pixels = new Uint32Array(area);
  forEachFortranPixel(rle.counts, (f) => {
    const y = f % height;
    const x = (f - y) / height;
    pixels[rowStarts[y] ?? 0] = y * width + x;
    increment(rowStarts, y);
  });
  return { width, height, pixels };
}

function forEachFortranPixel(counts: readonly number[], visit: (index: number) => void): void {
  let cursor = 0;
  counts.forEach((count, i) => {
    if (i % 2 === 1) for (let f = cursor; f < cursor + count; f++) visit(f);
    cursor += count;
  });
}

function requireAscendingPixels({ width, height, pixels }: PixelMask): void {
  let previous = -1;
  for (const pixel of pixels) {
    if (pixel <= previous || pixel >= width * height) {
      throw new InvalidInputError(
        `A mask's pixels must be ascending row-major indices below ${width * height}; found ${pixel} after ${previous}.`,
      );
    }
    previous = pixel;
  }
}

function increment(counters: Uint32Array, index: number): void {
  counters[index] = (counters[index] ?? 0) + 1;
}
