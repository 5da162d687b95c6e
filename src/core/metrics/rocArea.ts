/**
 * AUROC, pipeline.md §7: trapezoidal area under (FPR, TPR) from (0, 0), points in descending
 * threshold order.
 */
import type { CurvePointSink } from './curvePoints';

export class RocArea implements CurvePointSink {
  private area = 0;
  private previousFpr = 0;
  private previousTpr = 0;

  constructor(
    private readonly positives: number,
    private readonly negatives: number,
  ) {}

  addPoint(truePositives: number, falsePositives: number): void {
    const tpr = truePositives / this.positives;
    const fpr = falsePositives / this.negatives;
    this.area += ((fpr - this.previousFpr) * (tpr + this.previousTpr)) / 2;
    this.previousFpr = fpr;
    this.previousTpr = tpr;
  }

  value(): number {
    return this.area;
  }
}
