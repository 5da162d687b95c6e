import { ShapeMismatchError } from '../errors';
import type { ScoreMap } from '../types';
import { planAxisResampling, type AxisResampling } from './axisResampling';
import { planarView, type PlanarImage, type StridedImage } from './planarImage';

/**
 * Separable resampling, height axis first, then width (docs/bundle-format.md). Reads any layout,
 * writes planar CHW float32. Sums run in float64; the intermediate is stored in float32.
 */
export function resampleSeparable(
  source: StridedImage,
  rows: AxisResampling,
  columns: AxisResampling,
): PlanarImage {
  if (rows.inLength !== source.height || columns.inLength !== source.width) {
    throw new ShapeMismatchError(
      `A resampling planned for ${columns.inLength}×${rows.inLength} cannot read an image of ${source.width}×${source.height}.`,
    );
  }
  const intermediate = resampleRows(source, rows);
  return resampleColumns(intermediate, columns);
}

/** A planar image resized to outWidth × outHeight with the shared per-axis rule. */
export function resamplePlanar(
  image: PlanarImage,
  outWidth: number,
  outHeight: number,
): PlanarImage {
  return resampleSeparable(
    planarView(image),
    planAxisResampling(image.height, outHeight),
    planAxisResampling(image.width, outWidth),
  );
}

/** A score map resized to outWidth × outHeight with the shared per-axis rule. */
export function resampleScoreMap(
  scoreMap: ScoreMap,
  outWidth: number,
  outHeight: number,
): ScoreMap {
  const resized = resamplePlanar({ channels: 1, ...scoreMap }, outWidth, outHeight);
  return { width: resized.width, height: resized.height, data: resized.data };
}

function resampleRows(source: StridedImage, rows: AxisResampling): PlanarImage {
  const { data, channels, width, channelStride, rowStride, columnStride } = source;
  const outHeight = rows.outLength;
  const output = new Float32Array(channels * outHeight * width);
  const accumulator = new Float64Array(width);
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < outHeight; y++) {
      accumulator.fill(0);
      const tapEnd = rows.offsets[y + 1] ?? 0;
      for (let tap = rows.offsets[y] ?? 0; tap < tapEnd; tap++) {
        const weight = rows.weights[tap] ?? 0;
        const base = c * channelStride + (rows.indices[tap] ?? 0) * rowStride;
        for (let x = 0; x < width; x++) {
          accumulator[x] = (accumulator[x] ?? 0) + weight * (data[base + x * columnStride] ?? 0);
        }
      }
      output.set(accumulator, (c * outHeight + y) * width);
    }
  }
  return { channels, height: outHeight, width, data: output };
}

function resampleColumns(image: PlanarImage, columns: AxisResampling): PlanarImage {
  const { channels, height, width, data } = image;
  const outWidth = columns.outLength;
  const output = new Float32Array(channels * height * outWidth);
  const { offsets, indices, weights } = columns;
  for (let row = 0; row < channels * height; row++) {
    const inBase = row * width;
    const outBase = row * outWidth;
    for (let x = 0; x < outWidth; x++) {
      let sum = 0;
      const tapEnd = offsets[x + 1] ?? 0;
      for (let tap = offsets[x] ?? 0; tap < tapEnd; tap++) {
        sum += (weights[tap] ?? 0) * (data[inBase + (indices[tap] ?? 0)] ?? 0);
      }
      output[outBase + x] = sum;
    }
  }
  return { channels, height, width: outWidth, data: output };
}
