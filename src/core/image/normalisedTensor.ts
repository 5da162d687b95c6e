import { InvalidInputError } from '../errors';
import type { ChannelNormalisation, ModelTensor } from './modelTensor';
import type { StridedImage } from './planarImage';

/** Where the image sits inside a larger zero-padded NCHW tensor. */
export interface TensorPlacement {
  tensorWidth: number;
  tensorHeight: number;
  left: number;
  top: number;
}

/**
 * A [1, C, tensorHeight, tensorWidth] tensor of x = (v/255 − mean)/std, with the image (values in
 * 0..255) at (left, top) and padding that is black before normalisation, i.e. (0 − mean)/std.
 */
export function normalisedTensor(
  image: StridedImage,
  placement: TensorPlacement,
  normalisation: ChannelNormalisation,
): ModelTensor {
  const { channels, width, height, data, channelStride, rowStride, columnStride } = image;
  const { tensorWidth, tensorHeight, left, top } = placement;
  if (left < 0 || top < 0 || left + width > tensorWidth || top + height > tensorHeight) {
    throw new InvalidInputError(
      `An image of ${width}×${height} does not fit a ${tensorWidth}×${tensorHeight} tensor at (${left}, ${top}).`,
    );
  }
  const planeSize = tensorWidth * tensorHeight;
  const tensor = new Float32Array(channels * planeSize);
  for (let c = 0; c < channels; c++) {
    const { mean, std } = channelStatistics(normalisation, c);
    const plane = c * planeSize;
    tensor.fill((0 - mean) / std, plane, plane + planeSize);
    for (let y = 0; y < height; y++) {
      const source = c * channelStride + y * rowStride;
      const target = plane + (top + y) * tensorWidth + left;
      for (let x = 0; x < width; x++) {
        tensor[target + x] = ((data[source + x * columnStride] ?? 0) / 255 - mean) / std;
      }
    }
  }
  return { data: tensor, dims: [1, channels, tensorHeight, tensorWidth] };
}

function channelStatistics(
  normalisation: ChannelNormalisation,
  channel: number,
): { mean: number; std: number } {
  const mean = normalisation.mean[channel];
  const std = normalisation.std[channel];
  if (mean === undefined || std === undefined || !Number.isFinite(mean) || !(std > 0)) {
    throw new InvalidInputError(
      `Channel ${channel} needs a finite mean and a positive std (got mean ${mean}, std ${std}).`,
    );
  }
  return { mean, std };
}
