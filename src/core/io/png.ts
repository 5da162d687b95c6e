/** PNG ground-truth masks in and out of LabelMap, via the fast-png codec. */
import { decode, encode } from 'fast-png';
import { pixelPosition } from '../checks';
import { InvalidInputError } from '../errors';
import type { LabelMap } from '../types';

/**
 * Reads a single-channel (grey or palette-indexed) label PNG: the stored value is the label.
 * Palette images keep their indices, as label PNGs of segmentation datasets do. RGB(A) images
 * are accepted only when all colour channels agree.
 */
export function labelMapFromPng(bytes: Uint8Array, source: string): LabelMap {
  let png: ReturnType<typeof decode>;
  try {
    png = decode(bytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidInputError(`${source}: not a readable PNG (${reason}).`);
  }
  const { width, height, channels, data } = png;
  const pixelCount = width * height;
  const labels = new Uint8Array(pixelCount);
  const colourChannels = channels >= 3 ? 3 : 1;
  for (let i = 0; i < pixelCount; i++) {
    const value = data[i * channels] as number;
    for (let c = 1; c < colourChannels; c++) {
      if (data[i * channels + c] !== value) {
        throw new InvalidInputError(
          `${source}: ground truth must be a grey or palette PNG holding labels 0, 1, 255; ` +
            `the pixel at ${pixelPosition(i, width)} is a colour.`,
        );
      }
    }
    if (value > 255) {
      throw new InvalidInputError(
        `${source}: label ${value} at ${pixelPosition(i, width)} does not fit ` +
          'in 8 bits; labels are 0 inlier, 1 anomaly, 255 ignore.',
      );
    }
    labels[i] = value;
  }
  return { width, height, data: labels };
}

/** An 8-bit grey PNG of a label map. */
export function labelMapToPng(labels: LabelMap): Uint8Array {
  return encode({
    width: labels.width,
    height: labels.height,
    data: labels.data,
    channels: 1,
    depth: 8,
  });
}

/** An 8-bit RGBA PNG (heatmaps, overlays). */
export function rgbaToPng(
  width: number,
  height: number,
  rgba: Uint8Array | Uint8ClampedArray,
): Uint8Array {
  return encode({
    width,
    height,
    data: new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength),
    channels: 4,
    depth: 8,
  });
}
