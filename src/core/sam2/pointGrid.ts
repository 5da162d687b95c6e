import { InvalidInputError } from '../errors';

/**
 * The AMG prompt grid, n² points row-major over y with x fastest, as interleaved (x, y) pairs in
 * two frames: the image's own pixels and the segmenter's square input.
 */
export interface PointGrid {
  pointsPerSide: number;
  count: number;
  /** [n², 2] (x, y) in image pixels: ((i + 0.5)/n · W, (j + 0.5)/n · H). */
  imagePoints: Float64Array;
  /** [n², 2] (x, y) in the S × S frame: x·S/W, y·S/H (separate scales, unlike the reference). */
  modelPoints: Float32Array;
}

/** Point k = j·n + i sits at column i, row j (docs/bundle-format.md "AMG point grid"). */
export function buildPointGrid(
  pointsPerSide: number,
  imageWidth: number,
  imageHeight: number,
  modelImageSize = 1024,
): PointGrid {
  for (const [name, value] of [
    ['pointsPerSide', pointsPerSide],
    ['image width', imageWidth],
    ['image height', imageHeight],
    ['segmenter image size', modelImageSize],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new InvalidInputError(`The ${name} must be a positive whole number (got ${value}).`);
    }
  }
  const n = pointsPerSide;
  const imagePoints = new Float64Array(n * n * 2);
  const modelPoints = new Float32Array(n * n * 2);
  for (let j = 0; j < n; j++) {
    const y = ((j + 0.5) / n) * imageHeight;
    for (let i = 0; i < n; i++) {
      const x = ((i + 0.5) / n) * imageWidth;
      const k = 2 * (j * n + i);
      imagePoints[k] = x;
      imagePoints[k + 1] = y;
      modelPoints[k] = (x * modelImageSize) / imageWidth;
      modelPoints[k + 1] = (y * modelImageSize) / imageHeight;
    }
  }
  return { pointsPerSide: n, count: n * n, imagePoints, modelPoints };
}
