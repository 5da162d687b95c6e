import { describe, expect, it } from 'vitest';
import { applyExifOrientation } from './exifOrientation';

// A 3×2 image whose pixels are labelled by their red value:  1 2 3 / 4 5 6.
const image = {
  width: 3,
  height: 2,
  data: Uint8Array.from([1, 2, 3, 4, 5, 6].flatMap((v) => [v, 0, 0])),
};
const reds = (oriented: { width: number; data: ArrayLike<number> }) => {
  const rows: number[][] = [];
  for (let i = 0; i < oriented.data.length; i += 3) {
    const pixel = i / 3;
    (rows[Math.floor(pixel / oriented.width)] ??= []).push(oriented.data[i] as number);
  }
  return rows;
};

describe('applyExifOrientation', () => {
  it.each([
    [
      1,
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
    ],
    [
      2,
      [
        [3, 2, 1],
        [6, 5, 4],
      ],
    ],
    [
      3,
      [
        [6, 5, 4],
        [3, 2, 1],
      ],
    ],
    [
      4,
      [
        [4, 5, 6],
        [1, 2, 3],
      ],
    ],
    [
      5,
      [
        [1, 4],
        [2, 5],
        [3, 6],
      ],
    ],
    [
      6,
      [
        [4, 1],
        [5, 2],
        [6, 3],
      ],
    ],
    [
      7,
      [
        [6, 3],
        [5, 2],
        [4, 1],
      ],
    ],
    [
      8,
      [
        [3, 6],
        [2, 5],
        [1, 4],
      ],
    ],
  ])('orientation %i', (orientation, expected) => {
    expect(reds(applyExifOrientation(image, orientation))).toEqual(expected);
  });
});
