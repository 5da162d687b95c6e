/**
 * The checks the core, the app and the CLI run on score maps and ground truth, each with one
 * message: finite scores, labels 0 / 1 / 255, equal sizes, and how a pixel is named in errors.
 */
import { InvalidInputError } from './errors';

/**
 * The index of the first NaN or ±Inf among values[start, end), or −1 when all are finite.
 * x·0 is 0 for finite x and NaN otherwise, so the common, valid case is four branch-free sums
 * (independent, so the adds do not wait on each other); the search runs only on failure.
 */
export function firstNonFiniteIndex(
  values: ArrayLike<number>,
  start = 0,
  end = values.length,
): number {
  let poison0 = 0;
  let poison1 = 0;
  let poison2 = 0;
  let poison3 = 0;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    poison0 += (values[i] as number) * 0;
    poison1 += (values[i + 1] as number) * 0;
    poison2 += (values[i + 2] as number) * 0;
    poison3 += (values[i + 3] as number) * 0;
  }
  for (; i < end; i++) poison0 += (values[i] as number) * 0;
  if (poison0 + poison1 + poison2 + poison3 === 0) return -1;
  for (i = start; i < end; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

/** A row-major pixel index as the x, y a person can find in an image viewer. */
export function pixelPosition(pixel: number, width: number): string {
  return `x=${pixel % width}, y=${Math.floor(pixel / width)}`;
}

/** Throws when a value is not finite (used where one bad value means a broken input). */
export function requireFinite(
  values: ArrayLike<number>,
  error: (value: number, index: number) => InvalidInputError,
  start = 0,
  end = values.length,
): void {
  const index = firstNonFiniteIndex(values, start, end);
  if (index >= 0) throw error(values[index] as number, index);
}
