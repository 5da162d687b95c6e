/**
 * A photo file → RGB8 in the browser: EXIF orientation applied, no colour management (the CLI
 * decodes the same bytes without it), alpha composited over black as the pipeline expects.
 * Runs in the view worker so large photos never block the page. Truncated files are refused, as
 * in the CLI (core/io/truncatedImage).
 */
import { FlowclasError } from '../../core/errors';
import type { Rgb8Image } from '../../core/image';
import { refuseEmptyFile } from '../../core/io/emptyFile';
import { ImageDecodeError } from '../../core/io/pngImage';
import { findImageTruncation } from '../../core/io/truncatedImage';

export async function decodeImageFile(file: Blob, name: string): Promise<Rgb8Image> {
  refuseEmptyFile(file.size, name);
  const truncation = findImageTruncation(new Uint8Array(await file.arrayBuffer()));
  if (truncation) throw new ImageDecodeError(name, truncation);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, {
      imageOrientation: 'from-image',
      premultiplyAlpha: 'none',
      colorSpaceConversion: 'none',
    });
  } catch {
    throw new FlowclasError(
      'image-decode',
      `${name} could not be read as an image: the file is damaged or in a format this browser cannot decode. Use PNG, JPEG or WebP.`,
    );
  }
  const { width, height } = bitmap;
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new FlowclasError('image-decode', `${name}: no 2D canvas to decode into.`);
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  const rgba = context.getImageData(0, 0, width, height, { colorSpace: 'srgb' }).data;
  const rgb = new Uint8Array(width * height * 3);
  for (let pixel = 0, i = 0; pixel < rgb.length; pixel += 3, i += 4) {
    const alpha = rgba[i + 3] as number;
    if (alpha === 255) {
      rgb[pixel] = rgba[i] as number;
      rgb[pixel + 1] = rgba[i + 1] as number;
      rgb[pixel + 2] = rgba[i + 2] as number;
    } else {
      rgb[pixel] = Math.round(((rgba[i] as number) * alpha) / 255);
      rgb[pixel + 1] = Math.round(((rgba[i + 1] as number) * alpha) / 255);
      rgb[pixel + 2] = Math.round(((rgba[i + 2] as number) * alpha) / 255);
    }
  }
  return { width, height, data: rgb };
}
