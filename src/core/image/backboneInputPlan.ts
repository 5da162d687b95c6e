import { InvalidInputError } from '../errors';
import { planAxisPadding } from './patchPadding';

/** How the bundle fits an image to the backbone (docs/bundle-format.md `backbone.resize`). */
export type ResizePolicy =
  | { mode: 'pad'; maxSide?: number | undefined }
  | { mode: 'stretch'; size: readonly [number, number] };

export interface ImageSize {
  width: number;
  height: number;
}

/**
 * Every size the backbone → score-map path needs, worked out once per image:
 * original → (resize) → working → (zero padding) → padded = grid · patchSize.
 */
export interface BackboneInputPlan {
  original: ImageSize;
  /** The image size after the resize policy; equals `original` when nothing is resized. */
  working: ImageSize;
  padded: ImageSize;
  padding: { top: number; bottom: number; left: number; right: number };
  /** Feature grid h × w. */
  grid: ImageSize;
  patchSize: number;
}

export function planBackboneInput(
  width: number,
  height: number,
  resizePolicy: ResizePolicy,
  patchSize: number,
): BackboneInputPlan {
  const original = { width, height };
  const working =
    resizePolicy.mode === 'stretch'
      ? stretchedSize(resizePolicy.size)
      : fitWithinMaxSide(original, resizePolicy.maxSide);
  const rows = planAxisPadding(working.height, patchSize);
  const columns = planAxisPadding(working.width, patchSize);
  return {
    original,
    working,
    padded: { width: columns.padded, height: rows.padded },
    padding: { top: rows.before, bottom: rows.after, left: columns.before, right: columns.after },
    grid: { width: columns.padded / patchSize, height: rows.padded / patchSize },
    patchSize,
  };
}

/**
 * Longer side scaled to exactly maxSide, the shorter one to round(shorter·maxSide/longer) with
 * halves rounded up (integer arithmetic, so no float rounding decides it), at least 1.
 */
export function fitWithinMaxSide(size: ImageSize, maxSide: number | undefined): ImageSize {
  requireSide(size.width, 'image width');
  requireSide(size.height, 'image height');
  if (maxSide === undefined) return { ...size };
  requireSide(maxSide, 'maxSide');
  const longer = Math.max(size.width, size.height);
  if (longer <= maxSide) return { ...size };
  const scaleSide = (side: number): number =>
    side === longer
      ? maxSide
      : Math.max(1, Math.floor((2 * side * maxSide + longer) / (2 * longer)));
  return { width: scaleSide(size.width), height: scaleSide(size.height) };
}

function stretchedSize(size: readonly [number, number]): ImageSize {
  const [height, width] = size;
  requireSide(height, 'stretch height');
  requireSide(width, 'stretch width');
  return { width, height };
}

function requireSide(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidInputError(`The ${what} must be a positive whole number (got ${value}).`);
  }
}
