/**
 * AUPRC as the FlowCLAS reference computes it (trapezoidal, not scikit-learn's step-wise AP),
 * pipeline.md §7: drop points with TP + FP = 0; keep points up to and including the first at full
 * recall; list them in ascending threshold order, append (recall 0, precision 1), stable-sort by
 * recall and integrate precision over recall with the trapezoid rule.
 *
 * Streaming form of that rule. Along descending thresholds recall never decreases, so the stable
 * sort orders groups of equal recall by recall and reverses each group's points. Segments inside a
 * group have zero width; the area is the sum over consecutive groups g−1, g of
 *   (recall_g − recall_{g−1}) · (anchor_{g−1} + last_g) / 2,
 * where last_g is the precision of the group's lowest-threshold point and anchor_g that of its
 * highest-threshold point; the group at recall 0 always ends with the appended point, so its
 * anchor is 1 whatever points it holds.
 */
import type { CurvePointSink } from './curvePoints';

/** Streams curve points; value() is the reference's trapezoidal AUPRC. */
export class PrecisionRecallArea implements CurvePointSink {
  private area = 0;
  private previousRecall = 0;
  private anchorPrecision = 1;
  private groupRecall = Number.NaN;
  private groupFirstPrecision = 0;
  private groupLastPrecision = 0;
  private reachedFullRecall = false;

  constructor(private readonly positives: number) {}

  addPoints(truePositives: Float64Array, falsePositives: Float64Array, count: number): void {
    for (let i = 0; i < count && !this.reachedFullRecall; i++) {
      const tp = truePositives[i] as number;
      // TP = 0 points are in the recall-0 group, which contributes nothing (this also drops the
      // TP + FP = 0 points).
      if (tp === 0) continue;
      const recall = tp / this.positives;
      const precision = tp / (tp + (falsePositives[i] as number));
      if (recall !== this.groupRecall) {
        this.closeGroup();
        this.groupRecall = recall;
        this.groupFirstPrecision = precision;
      }
      this.groupLastPrecision = precision;
      this.reachedFullRecall = tp === this.positives;
    }
  }

  value(): number {
    this.closeGroup();
    return this.area;
  }

  private closeGroup(): void {
    if (Number.isNaN(this.groupRecall)) return;
    this.area +=
      ((this.groupRecall - this.previousRecall) *
        (this.anchorPrecision + this.groupLastPrecision)) /
      2;
    this.previousRecall = this.groupRecall;
    this.anchorPrecision = this.groupFirstPrecision;
    this.groupRecall = Number.NaN;
  }
}
