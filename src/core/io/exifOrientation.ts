/** EXIF orientation (1–8) applied to RGB8 pixels, so images show the way cameras meant them. */
import type { Rgb8Image } from '../image';

/**
 * Orientation o maps stored pixel (x, y) to display position: 1 identity, 2 mirror horizontally,
 * 3 rotate 180°, 4 mirror vertically, 5 transpose, 6 rotate 90° clockwise, 7 transverse,
 * 8 rotate 90° counter-clockwise (EXIF 2.3, tag 0x0112).
 */
export function applyExifOrientation(image: Rgb8Image, orientation: number | undefined): Rgb8Image {
  if (!orientation || orientation === 1 || orientation > 8) return image;
  const { width, height, data } = image;
  const swapsAxes = orientation >= 5;
  const outWidth = swapsAxes ? height : width;
  const outHeight = swapsAxes ? width : height;
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let dx: number;
      let dy: number;
      switch (orientation) {
        case 2:
          [dx, dy] = [width - 1 - x, y];
          break;
        case 3:
          [dx, dy] = [width - 1 - x, height - 1 - y];
          break;
        case 4:
          [dx, dy] = [x, height - 1 - y];
          break;
        case 5:
          [dx, dy] = [y, x];
          break;
        case 6:
          [dx, dy] = [height - 1 - y, x];
          break;
        case 7:
          [dx, dy] = [height - 1 - y, width - 1 - x];
          break;
        default:
          [dx, dy] = [y, width - 1 - x];
      }
      const from = (y * width + x) * 3;
      const to = (dy * outWidth + dx) * 3;
      out[to] = data[from] as number;
      out[to + 1] = data[from + 1] as number;
      out[to + 2] = data[from + 2] as number;
    }
  }
  return { width: outWidth, height: outHeight, data: out };
}
