import { InvalidInputError } from '../errors';
import { tapPairs, type AxisResampling, type TapPairs } from './axisResampling';
import type { ChannelNormalisation, ModelTensor } from './modelTensor';
import { requireRgb8Bytes, type Rgb8Image } from './rgb8Image';

/** Where the resized image sits inside a larger (padded) NCHW tensor. */
export interface TensorPlacement {
  tensorWidth: number;
  tensorHeight: number;
  left: number;
  top: number;
}

/**
 * RGB8 → resized, normalised, placed [1, 3, H, W] model input in one pass per axis.
 *
 * Normalisation is affine and every resampling weight set sums to one, so normalising the
 * (small) source before resizing gives the same tensor as normalising the (large) result, up to
 * float rounding — and the final pass writes straight into the model tensor. This matters for the
 * SAM 2 input: 3 × 1024 × 1024 values per image. The axes are resampled in the cheaper order
 * (passesInOrder); either order rounds the intermediate to float32.
 */
export function resizeNormaliseInto(
  image: Rgb8Image,
  rows: AxisResampling,
  columns: AxisResampling,
  placement: TensorPlacement,
  normalisation: ChannelNormalisation,
): ModelTensor {
  requireRgb8Bytes(image);
  const { width, height, data } = image;
  const { tensorWidth, tensorHeight, left, top } = placement;
  const outWidth = columns.outLength;
  const outHeight = rows.outLength;
  if (left < 0 || top < 0 || left + outWidth > tensorWidth || top + outHeight > tensorHeight) {
    throw new InvalidInputError(
      `An image of ${outWidth}×${outHeight} does not fit a ${tensorWidth}×${tensorHeight} tensor at (${left}, ${top}).`,
    );
  }
  const planeSize = tensorWidth * tensorHeight;
  const tensor = new Float32Array(3 * planeSize);
  const source = new Float32Array(width * height);
  const rowsFirst = rowsFirstIsCheaper(width, height, rows, columns);
  const intermediate = new Float32Array(rowsFirst ? outHeight * width : height * outWidth);
  const rowPairs = tapPairs(rows);
  const columnPairs = tapPairs(columns);
  const covered = left === 0 && top === 0 && outWidth === tensorWidth && outHeight === tensorHeight;
  for (let c = 0; c < 3; c++) {
    const mean = normalisation.mean[c];
    const std = normalisation.std[c];
    if (mean === undefined || std === undefined || !Number.isFinite(mean) || !(std > 0)) {
      throw new InvalidInputError(
        `Channel ${c} needs a finite mean and a positive std (got mean ${mean}, std ${std}).`,
      );
    }
    // Padding is black before normalisation.
    if (!covered) tensor.fill(-mean / std, c * planeSize, (c + 1) * planeSize);
    normaliseChannelInto(data, c, mean, std, source);
    const placed = c * planeSize + top * tensorWidth + left;
    if (rowsFirst) {
      resampleRowsInto(source, width, rows, rowPairs, intermediate, 0, width);
      resampleColumnsInto(
        intermediate,
        width,
        outHeight,
        columns,
        columnPairs,
        tensor,
        placed,
        tensorWidth,
      );
    } else {
      resampleColumnsInto(source, width, height, columns, columnPairs, intermediate, 0, outWidth);
      resampleRowsInto(intermediate, outWidth, rows, rowPairs, tensor, placed, tensorWidth);
    }
  }
  return { data: tensor, dims: [1, 3, tensorHeight, tensorWidth] };
}

/**
 * Channel c of interleaved RGB bytes as normalised floats: each of the 256 byte values is
 * normalised once, then the pixels look theirs up.
 */
function normaliseChannelInto(
  data: Uint8Array | Uint8ClampedArray,
  channel: number,
  mean: number,
  std: number,
  target: Float32Array,
): void {
  const normalised = new Float32Array(256);
  for (let byte = 0; byte < 256; byte++) normalised[byte] = (byte / 255 - mean) / std;
  const count = target.length;
  for (let i = 0, byteIndex = channel; i < count; i++, byteIndex += 3) {
    target[i] = normalised[data[byteIndex] as number] as number;
  }
}

/**
 * Whether resampling rows before columns does less work than the reverse. The column pass reads
 * its inputs scattered (by tap index), so its values count twice; e.g. the SAM 2 input, upscaled
 * on both axes, is about twice as fast columns first.
 */
function rowsFirstIsCheaper(
  width: number,
  height: number,
  rows: AxisResampling,
  columns: AxisResampling,
): boolean {
  const rowTaps = rows.indices.length / rows.outLength;
  const columnTaps = columns.indices.length / columns.outLength;
  const outputs = rows.outLength * columns.outLength;
  const rowsFirst = rows.outLength * width * rowTaps + 2 * outputs * columnTaps;
  const columnsFirst = 2 * height * columns.outLength * columnTaps + outputs * rowTaps;
  return rowsFirst <= columnsFirst;
}

/** Resamples along rows: output row y of `width` values goes to target[targetOffset + y·stride]. */
function resampleRowsInto(
  source: Float32Array,
  width: number,
  rows: AxisResampling,
  pairs: TapPairs | null,
  target: Float32Array,
  targetOffset: number,
  targetStride: number,
): void {
  const { offsets, indices, weights } = rows;
  const sums = pairs ? new Float64Array(0) : new Float64Array(width);
  for (let y = 0; y < rows.outLength; y++) {
    const out = targetOffset + y * targetStride;
    if (pairs) {
      // Every output row blends at most two source rows: two sequential reads per value.
      const first = (pairs.first[y] as number) * width;
      const second = (pairs.second[y] as number) * width;
      const firstWeight = pairs.firstWeight[y] as number;
      const secondWeight = pairs.secondWeight[y] as number;
      for (let x = 0; x < width; x++) {
        target[out + x] =
          firstWeight * (source[first + x] as number) +
          secondWeight * (source[second + x] as number);
      }
      continue;
    }
    // Tap by tap over whole rows (sequential reads), summed in float64 in the plan's tap order.
    sums.fill(0);
    const tapEnd = offsets[y + 1] as number;
    for (let tap = offsets[y] as number; tap < tapEnd; tap++) {
      const weight = weights[tap] as number;
      const input = (indices[tap] as number) * width;
      for (let x = 0; x < width; x++) {
        sums[x] = (sums[x] as number) + weight * (source[input + x] as number);
      }
    }
    target.set(sums, out);
  }
}

function resampleColumnsInto(
  source: Float32Array,
  width: number,
  height: number,
  columns: AxisResampling,
  pairs: TapPairs | null,
  target: Float32Array,
  targetOffset: number,
  targetStride: number,
): void {
  const { offsets, indices, weights, outLength } = columns;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const out = targetOffset + y * targetStride;
    if (pairs) {
      // Upscaling: every output blends at most two neighbours; no inner tap loop.
      const { first, second, firstWeight, secondWeight } = pairs;
      for (let x = 0; x < outLength; x++) {
        target[out + x] =
          (firstWeight[x] as number) * (source[row + (first[x] as number)] as number) +
          (secondWeight[x] as number) * (source[row + (second[x] as number)] as number);
      }
      continue;
    }
    for (let x = 0; x < outLength; x++) {
      let sum = 0;
      const tapEnd = offsets[x + 1] as number;
      for (let tap = offsets[x] as number; tap < tapEnd; tap++) {
        sum += (weights[tap] as number) * (source[row + (indices[tap] as number)] as number);
      }
      target[out + x] = sum;
    }
  }
}
