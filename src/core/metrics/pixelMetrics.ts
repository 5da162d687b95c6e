/** Pixel-level AUPRC, FPR95 and AUROC of one curve, with the degenerate cases made explicit. */
import type { CurvePointSink } from './curvePoints';
import { FprAtTpr } from './fprAtTpr';
import type { LabelCounts } from './labelledImage';
import { PrecisionRecallArea } from './precisionRecallArea';
import { RocArea } from './rocArea';

/** Why a set's metrics are undefined (NaN). */
export type MetricsUndefinedReason =
  'no-labelled-pixels' | 'no-anomaly-pixels' | 'no-inlier-pixels';

export const UNDEFINED_REASON_MESSAGES: Record<MetricsUndefinedReason, string> = {
  'no-labelled-pixels':
    'Every ground-truth pixel is marked ignore (255), so there is nothing to evaluate.',
  'no-anomaly-pixels':
    'The ground truth has no anomaly pixels (label 1), so AUPRC, FPR95 and AUROC are undefined.',
  'no-inlier-pixels':
    'The ground truth has no inlier pixels (label 0), so AUPRC, FPR95 and AUROC are undefined.',
};

/** Metrics as fractions in [0, 1]; NaN, with `undefinedReason` set, when they are undefined. */
export interface PixelMetrics extends LabelCounts {
  auprc: number;
  fpr95: number;
  auroc: number;
  undefinedReason?: MetricsUndefinedReason;
}

/**
 * Runs `visitCurve` once through all three metrics. With no anomaly or no inlier pixels recall
 * or FPR has no denominator, so all three are reported as undefined rather than as a number.
 */
export function pixelMetrics(
  counts: LabelCounts,
  visitCurve: (sinks: readonly CurvePointSink[]) => void,
): PixelMetrics {
  const reason = undefinedReason(counts);
  if (reason) return { ...counts, auprc: NaN, fpr95: NaN, auroc: NaN, undefinedReason: reason };
  const auprc = new PrecisionRecallArea(counts.positives);
  const fpr95 = new FprAtTpr(counts.positives, counts.negatives);
  const auroc = new RocArea(counts.positives, counts.negatives);
  visitCurve([auprc, fpr95, auroc]);
  return { ...counts, auprc: auprc.value(), fpr95: fpr95.value(), auroc: auroc.value() };
}

/** Which class is missing, if any: the case that leaves recall or FPR without a denominator. */
function undefinedReason({ positives, negatives }: LabelCounts) {
  if (positives === 0 && negatives === 0) return 'no-labelled-pixels';
  if (positives === 0) return 'no-anomaly-pixels';
  if (negatives === 0) return 'no-inlier-pixels';
  return undefined;
}
