/** FPR95, pipeline.md §7: the smallest FPR among all points with TPR ≥ 0.95; 1.0 if none. */
import type { CurvePointSink } from './curvePoints';

export const FPR95_TPR = 0.95;

export class FprAtTpr implements CurvePointSink {
  private smallestFpr = Infinity;

  constructor(
    private readonly positives: number,
    private readonly negatives: number,
    private readonly minimumTpr = FPR95_TPR,
  ) {}

  addPoint(truePositives: number, falsePositives: number): void {
    if (truePositives / this.positives < this.minimumTpr) return;
    this.smallestFpr = Math.min(this.smallestFpr, falsePositives / this.negatives);
  }

  value(): number {
    return this.smallestFpr === Infinity ? 1 : this.smallestFpr;
  }
}
