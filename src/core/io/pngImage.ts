/** PNG → 8-bit RGB for the pipeline (pipeline.md §1): grey and palette expanded, 16-bit reduced, alpha over black. */
import { convertIndexedToRgb, decode } from 'fast-png';
import { FlowclasError } from '../errors';
import type { Rgb8Image } from '../image';

/** An image file the pipeline cannot read. */
export class ImageDecodeError extends FlowclasError {
  constructor(source: string, reason: string) {
    super('image-decode', `${source} could not be read as an image (${reason}).`);
    this.name = 'ImageDecodeError';
  }
}

export function rgb8FromPng(bytes: Uint8Array, source: string): Rgb8Image {
  let png: ReturnType<typeof decode>;
  try {
    png = decode(bytes);
  } catch (error) {
    throw new ImageDecodeError(source, error instanceof Error ? error.message : String(error));
  }
  const { width, height } = png;
  // The common case, 8-bit RGB, is already the pipeline's layout.
  const rgb8 = png.depth === 8 && png.channels === 3 && !png.palette;
  if (rgb8 && png.data instanceof Uint8Array && png.data.length === width * height * 3) {
    return { width, height, data: png.data };
  }
  let channels = png.channels;
  let samples: ArrayLike<number> = png.data;
  let maxValue = png.depth === 16 ? 65535 : (1 << png.depth) - 1;
  if (png.depth < 8 && !png.palette) {
    samples = unpackLowDepth(png.data as Uint8Array, width, height, channels, png.depth);
  }
  if (png.palette) {
    samples = convertIndexedToRgb(png);
    channels = png.palette[0]?.length ?? 3;
    maxValue = 255;
  }
  const hasAlpha = channels === 2 || channels === 4;
  const colourChannels = channels >= 3 ? 3 : 1;
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    // Straight (non-premultiplied) alpha composited over black: v · a.
    const alpha = hasAlpha ? (samples[i * channels + channels - 1] as number) / maxValue : 1;
    for (let c = 0; c < 3; c++) {
      const sample = samples[i * channels + (colourChannels === 3 ? c : 0)] as number;
      rgb[i * 3 + c] = Math.round((sample / maxValue) * alpha * 255);
    }
  }
  return { width, height, data: rgb };
}

/** PNG rows of 1-, 2- or 4-bit samples are bit-packed, each row starting on a byte boundary. */
function unpackLowDepth(
  packed: Uint8Array,
  width: number,
  height: number,
  channels: number,
  depth: number,
): Uint8Array {
  const samplesPerRow = width * channels;
  const rowBytes = Math.ceil((samplesPerRow * depth) / 8);
  const mask = (1 << depth) - 1;
  const samples = new Uint8Array(samplesPerRow * height);
  for (let y = 0; y < height; y++) {
    for (let i = 0; i < samplesPerRow; i++) {
      const bit = i * depth;
      const byte = packed[y * rowBytes + (bit >> 3)] as number;
      samples[y * samplesPerRow + i] = (byte >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return samples;
}
