import { ShapeMismatchError } from '../errors';
import type { StridedImage } from './planarImage';

/**
 * Decoded 8-bit RGB pixels, interleaved HWC: channel c of (x, y) at data[(y·width + x)·3 + c].
 * Alpha has already been composited over black, so padding and transparency agree.
 */
export interface Rgb8Image {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

/** Throws unless the image holds exactly width × height × 3 bytes. */
export function requireRgb8Bytes(image: Rgb8Image): void {
  const expected = image.width * image.height * 3;
  if (image.data.length !== expected) {
    throw new ShapeMismatchError(
      `An RGB image of ${image.width}×${image.height} needs ${expected} bytes, but ${image.data.length} were given.`,
    );
  }
}

export function rgb8View(image: Rgb8Image): StridedImage {
  requireRgb8Bytes(image);
  return {
    data: image.data,
    channels: 3,
    height: image.height,
    width: image.width,
    channelStride: 1,
    rowStride: image.width * 3,
    columnStride: 3,
  };
}
