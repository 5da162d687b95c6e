/** Checks run before smoothing touches the score map, so a rejected call leaves it unchanged. */
import { SMOOTHING_BINS_RANGE } from '../defaults';
import { InvalidInputError, ShapeMismatchError } from '../errors';
import type { PixelMask, ScoreMap } from '../types';

/** Bins must be a whole number ≥ 1 (numpy.histogram's rule), at most the app's largest setting. */
export function validateBins(bins: number): void {
  const { min, max } = SMOOTHING_BINS_RANGE;
  if (!Number.isInteger(bins) || bins < min || bins > max) {
    throw new InvalidInputError(
      `Smoothing needs a whole number of histogram bins from ${min} to ${max}; got ${String(bins)}.`,
    );
  }
}

/** Masks must match the score map's size and list strictly ascending pixel indices inside it. */
export function validateMasks(scoreMap: ScoreMap, masks: readonly PixelMask[]): void {
  const { width, height } = scoreMap;
  if (scoreMap.data.length !== width * height) {
    throw new ShapeMismatchError(
      `The score map says ${width}×${height} but holds ${scoreMap.data.length} values.`,
    );
  }
  masks.forEach((mask, maskIndex) => {
    if (mask.width !== width || mask.height !== height) {
      throw new ShapeMismatchError(
        `Mask ${maskIndex} is ${mask.width}×${mask.height} but the score map is ` +
          `${width}×${height}; masks must come from the same image size.`,
      );
    }
    const { pixels } = mask;
    const unordered = firstUnorderedPixel(pixels);
    if (unordered > 0) {
      throw new InvalidInputError(
        `Mask ${maskIndex} lists pixel ${pixels[unordered]} after pixel ${pixels[unordered - 1]}; ` +
          'mask pixels must be strictly ascending row-major indices.',
      );
    }
    const previous = pixels.length > 0 ? (pixels[pixels.length - 1] as number) : -1;
    if (previous >= width * height) {
      throw new InvalidInputError(
        `Mask ${maskIndex} lists pixel ${previous}, outside the ${width}×${height} image.`,
      );
    }
  });
}

/** Position of the first pixel not above its predecessor, or -1 when strictly ascending. */
function firstUnorderedPixel(pixels: Uint32Array): number {
  // Branch-free scan for the common, valid case; the search repeats only on failure.
  let unordered = 0;
  for (let i = 1; i < pixels.length; i++) {
    unordered |= Number((pixels[i] as number) <= (pixels[i - 1] as number));
  }
  if (unordered === 0) return -1;
  return pixels.findIndex((pixel, i) => i > 0 && pixel <= (pixels[i - 1] as number));
}
