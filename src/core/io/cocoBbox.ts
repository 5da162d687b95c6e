import type { PixelMask } from '../types';

/** COCO's box: left, top, width and height in pixels. */
export type CocoBbox = [x: number, y: number, width: number, height: number];

/**
 * The COCO `bbox` of a mask, from its pixels: the smallest rectangle holding every pixel, as
 * [x, y, width, height] (a single pixel is 1 × 1), and [0, 0, 0, 0] for an empty mask, as
 * pycocotools' `toBbox` gives it. The automatic-mask generator keeps SAM's inclusive
 * [x0, y0, x1, y1] boxes for its NMS; files get this form.
 */
export function cocoBboxOf(mask: PixelMask): CocoBbox {
  const { width, pixels } = mask;
  if (pixels.length === 0 || width === 0) return [0, 0, 0, 0];
  let left = Infinity;
  let right = -Infinity;
  let top = Infinity;
  let bottom = -Infinity;
  for (const index of pixels) {
    const x = index % width;
    const y = (index - x) / width;
    if (x < left) left = x;
    if (x > right) right = x;
    if (y < top) top = y;
    if (y > bottom) bottom = y;
  }
  return [left, top, right - left + 1, bottom - top + 1];
}
