import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors';
import { seededRandom } from '../testing/numericTesting';
import { runPythonReference } from '../testing/pythonReference';
import type { PixelMask } from '../types';
import { pixelMaskToRle, rleToPixelMask } from './cocoRle';

const reference = fileURLToPath(new URL('./automaticMasks.reference.py', import.meta.url));

function maskFromDense(dense: Uint8Array, width: number, height: number): PixelMask {
  const pixels: number[] = [];
  dense.forEach((bit, i) => {
    if (bit) pixels.push(i);
  });
  return { width, height, pixels: Uint32Array.from(pixels) };
}

describe('COCO RLE', () => {
  it('runs column-major and starts with the zero run', () => {
    // 2×3 (H×W); row-major pixels 1 (x=1, y=0) and 4 (x=1, y=1): column 1 is full.
    const mask = { width: 3, height: 2, pixels: new Uint32Array([1, 4]) };
    expect(pixelMaskToRle(mask)).toEqual({ size: [2, 3], counts: [2, 2, 2] });
  });

  it('encodes the empty, the full and a corner mask', () => {
    expect(pixelMaskToRle({ width: 2, height: 2, pixels: new Uint32Array() }).counts).toEqual([4]);
    expect(pixelMaskToRle({ width: 2, height: 2, pixels: new Uint32Array([0, 1, 2, 3]) })).toEqual({
      size: [2, 2],
      counts: [0, 4],
    });
    expect(pixelMaskToRle({ width: 2, height: 2, pixels: new Uint32Array([3]) }).counts).toEqual([
      3, 1,
    ]);
    expect(pixelMaskToRle({ width: 1, height: 1, pixels: new Uint32Array([0]) }).counts).toEqual([
      0, 1,
    ]);
  });

  it('matches the numpy encoder on random masks and round-trips', () => {
    const [width, height, count] = [23, 17, 12];
    const random = seededRandom(5);
    const dense = new Uint8Array(count * width * height);
    for (let m = 0; m < count; m++) {
      // blobs of varying density, including an empty and a full mask
      const density = m === 0 ? 0 : m === 1 ? 1 : random();
      for (let i = 0; i < width * height; i++) {
        dense[m * width * height + i] = random() < density ? 1 : 0;
      }
    }
    const expected = runPythonReference(
      reference,
      { masks: { data: dense, shape: [count, height, width] } },
      { op: 'rle' },
    );
    const allCounts = Array.from(expected.counts?.data as Int32Array);
    const lengths = Array.from(expected.lengths?.data as Int32Array);
    let offset = 0;
    for (let m = 0; m < count; m++) {
      const mask = maskFromDense(
        dense.subarray(m * width * height, (m + 1) * width * height),
        width,
        height,
      );
      const rle = pixelMaskToRle(mask);
      const length = lengths[m] ?? 0;
      expect(rle).toEqual({
        size: [height, width],
        counts: allCounts.slice(offset, offset + length),
      });
      offset += length;
      expect(rleToPixelMask(rle)).toEqual(mask);
    }
  });

  it('rejects counts that do not cover the image, and negative counts', () => {
    expect(() => rleToPixelMask({ size: [2, 2], counts: [1, 2] })).toThrow(InvalidInputError);
    expect(() => rleToPixelMask({ size: [2, 2], counts: [5, -1] })).toThrow(InvalidInputError);
    expect(() => rleToPixelMask({ size: [0, 2], counts: [] })).toThrow(InvalidInputError);
  });

  it('rejects masks whose pixels are unsorted or outside the image', () => {
    expect(() => pixelMaskToRle({ width: 2, height: 2, pixels: new Uint32Array([2, 1]) })).toThrow(
      InvalidInputError,
    );
    expect(() => pixelMaskToRle({ width: 2, height: 2, pixels: new Uint32Array([4]) })).toThrow(
      InvalidInputError,
    );
  });
});
