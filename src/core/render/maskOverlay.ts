import { ShapeMismatchError } from '../errors';
import type { ImageSize } from '../image/backboneInputPlan';
import type { PixelMask } from '../types';
import type { Rgba } from './rgba';

/**
 * n clearly different opaque colours: hues a golden angle apart, so neighbours in the list (often
 * neighbours in the image) never look alike, however many masks there are.
 */
export function maskPalette(count: number): Rgba[] {
  return Array.from({ length: count }, (_, k) => hslToRgba((k * 137.508) % 360, 0.75, 0.55));
}

export interface MaskOverlayOptions {
  /** Fill opacity 0..1 (default 0.45). */
  fillOpacity?: number;
  /** Draw each mask's boundary at full opacity (default true). */
  outline?: boolean;
  /** One colour per mask; default maskPalette(masks.length). */
  colours?: readonly Rgba[];
}

/**
 * Masks as a transparent RGBA layer (straight alpha) to draw over the image: each mask filled in
 * its own colour, its outline opaque. Masks are painted in the given order, later over earlier.
 * The outline is the mask's pixels with a 4-neighbour inside the image that is not in the mask;
 * the image border itself does not count as a boundary.
 */
export function renderMaskOverlay(
  size: ImageSize,
  masks: readonly PixelMask[],
  options: MaskOverlayOptions = {},
): Uint8ClampedArray {
  const { width, height } = size;
  const fillAlpha = Math.round(255 * (options.fillOpacity ?? 0.45));
  const colours = options.colours ?? maskPalette(masks.length);
  const rgba = new Uint8ClampedArray(width * height * 4);
  // Which mask last claimed each pixel, so membership tests need no per-mask buffer.
  const owner = new Int32Array(width * height).fill(-1);
  masks.forEach((mask, m) => {
    if (mask.width !== width || mask.height !== height) {
      throw new ShapeMismatchError(
        `Mask ${m} is ${mask.width}×${mask.height}, but the overlay is ${width}×${height}.`,
      );
    }
    const [r, g, b] = colours[m % Math.max(colours.length, 1)] ?? [255, 255, 255, 255];
    for (const pixel of mask.pixels) owner[pixel] = m;
    for (const pixel of mask.pixels) {
      const onBoundary = options.outline !== false && isBoundary(owner, pixel, m, width, height);
      rgba[pixel * 4] = r;
      rgba[pixel * 4 + 1] = g;
      rgba[pixel * 4 + 2] = b;
      rgba[pixel * 4 + 3] = onBoundary ? 255 : fillAlpha;
    }
  });
  return rgba;
}

function isBoundary(
  owner: Int32Array,
  pixel: number,
  mask: number,
  width: number,
  height: number,
): boolean {
  const x = pixel % width;
  return (
    (x > 0 && owner[pixel - 1] !== mask) ||
    (x < width - 1 && owner[pixel + 1] !== mask) ||
    (pixel >= width && owner[pixel - width] !== mask) ||
    (pixel < (height - 1) * width && owner[pixel + width] !== mask)
  );
}

function hslToRgba(hue: number, saturation: number, lightness: number): Rgba {
  const chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const channel = (n: number): number => {
    const k = (n + hue / 30) % 12;
    const value = lightness - (chroma / 2) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(255 * value);
  };
  return [channel(0), channel(8), channel(4), 255];
}
