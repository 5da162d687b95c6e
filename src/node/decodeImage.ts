/**
 * Image files → RGB8 in Node through sharp (libvips; JPEG through libjpeg-turbo's decoder, as in
 * Chromium and PIL), so the CLI sees the pixels the app sees: EXIF orientation applied, no colour
 * management (the app decodes with colorSpaceConversion "none"), the first frame of animations,
 * alpha composited over black. Truncated files are refused, as in the app (core/io/truncatedImage).
 */
import sharp, { type OutputInfo } from 'sharp';
import type { Rgb8Image } from '../core/image';
import { refuseEmptyFile } from '../core/io/emptyFile';
import { ImageDecodeError } from '../core/io/pngImage';
import { findImageTruncation } from '../core/io/truncatedImage';

/** The formats the CLI reads, by file extension (lower case, with the dot). */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set([
  '.png',
  '.jpg',
  '.jpeg',
  '.webp',
  '.tif',
  '.tiff',
  '.gif',
  '.avif',
]);

// libvips refuses larger inputs by default (268 MP); panoramas and mosaics stay well below this.
const MAX_INPUT_PIXELS = 1 << 30;

export async function decodeImageFile(bytes: Uint8Array, source: string): Promise<Rgb8Image> {
  refuseEmptyFile(bytes.length, source);
  const truncation = findImageTruncation(bytes);
  if (truncation) throw new ImageDecodeError(source, truncation);
  let decoded: { data: Buffer; info: OutputInfo };
  try {
    decoded = await sharp(bytes, { failOn: 'truncated', limitInputPixels: MAX_INPUT_PIXELS })
      .autoOrient()
      // Keeps the stored values: without it an embedded ICC profile would be converted to sRGB.
      .keepIccProfile()
      .toColourspace('srgb')
      .ensureAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ImageDecodeError(source, reason || 'unknown format');
  }
  const { width, height } = decoded.info;
  return { width, height, data: rgbOverBlack(decoded.data, width * height) };
}

/** Straight RGBA → RGB with alpha composited over black, rounded as the app rounds it. */
function rgbOverBlack(rgba: Uint8Array, pixels: number): Uint8Array {
  const rgb = new Uint8Array(pixels * 3);
  for (let pixel = 0, i = 0; pixel < rgb.length; pixel += 3, i += 4) {
    const alpha = rgba[i + 3] as number;
    for (let c = 0; c < 3; c++) {
      const value = rgba[i + c] as number;
      rgb[pixel + c] = alpha === 255 ? value : Math.round((value * alpha) / 255);
    }
  }
  return rgb;
}
