/** Test and benchmark helper: how far one set of automatic masks agrees with a reference set. */
import type { PixelMask } from '../types';
import { maskIou } from './goldens';

export interface MaskAgreement {
  referenceCount: number;
  otherCount: number;
  /** Reference masks the other set holds pixel for pixel. */
  identical: number;
  /** Reference masks with an other mask of IoU ≥ minIou. */
  matched: number;
  /** Other masks with no reference mask of IoU ≥ minIou. */
  unmatchedOther: number;
  /** Per reference mask, the best IoU with any other mask (0 when the other set is empty). */
  bestIous: number[];
}

export function maskAgreement(
  reference: readonly PixelMask[],
  other: readonly PixelMask[],
  minIou = 0.95,
): MaskAgreement {
  const ious = reference.map((a) => other.map((b) => maskIou(a, b)));
  const bestIous = ious.map((row) => Math.max(0, ...row));
  return {
    referenceCount: reference.length,
    otherCount: other.length,
    identical: bestIous.filter((iou) => iou === 1).length,
    matched: bestIous.filter((iou) => iou >= minIou).length,
    unmatchedOther: other.filter((_, j) => !ious.some((row) => (row[j] ?? 0) >= minIou)).length,
    bestIous,
  };
}
