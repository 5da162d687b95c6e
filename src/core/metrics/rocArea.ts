/**
 * AUROC, pipeline.md §7: trapezoidal area under (FPR, TPR) from (0, 0), points in descending
 * threshold order.
 */
import type { CurvePointSink } from './curvePoints';

/** Streams curve points; value() is the trapezoidal area under the ROC curve. */
export class RocArea implements CurvePointSink {
  private area = 0;
  private previousFpr = 0;
  private previousTpr = 0;

  constructor(
    private readonly positives: number,
    private readonly negatives: number,
  ) {}

  addPoints(truePositives: Float64Array, falsePositives: Float64Array, count: number): void {
    for (let i = 0; i < count; i++) {
      const tpr = (truePositives[i] as number) / this.positives;
      const fpr = (falsePositives[i] as number) / this.negatives;
      this.area += ((fpr - this.previousFpr) * (tpr + this.previousTpr)) / 2;
      this.previousFpr = fpr;
      this.previousTpr = tpr;
    }
  }

  value(): number {
    return this.area;
  }
}
