/** Image files → RGB8 in Node: PNG via fast-png, JPEG via jpeg-js with its EXIF orientation applied. */
import exifr from 'exifr';
import jpeg from 'jpeg-js';
import type { Rgb8Image } from '../core/image';
import { applyExifOrientation } from '../core/io/exifOrientation';
import { ImageDecodeError, rgb8FromPng } from '../core/io/pngImage';

const isPng = (bytes: Uint8Array) =>
  bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
const isJpeg = (bytes: Uint8Array) => bytes[0] === 0xff && bytes[1] === 0xd8;

export async function decodeImageFile(bytes: Uint8Array, source: string): Promise<Rgb8Image> {
  if (isPng(bytes)) return rgb8FromPng(bytes, source);
  if (!isJpeg(bytes)) throw new ImageDecodeError(source, 'not a PNG or JPEG file');
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    decoded = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      maxResolutionInMP: 200,
      maxMemoryUsageInMB: 4096,
    });
  } catch (error) {
    throw new ImageDecodeError(source, error instanceof Error ? error.message : String(error));
  }
  const orientation = await exifr.orientation(bytes).catch(() => undefined);
  return applyExifOrientation(decoded, orientation);
}
