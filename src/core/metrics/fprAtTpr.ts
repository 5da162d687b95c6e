/** FPR95, pipeline.md §7: the smallest FPR among all points with TPR ≥ 0.95; 1.0 if none. */
import type { CurvePointSink } from './curvePoints';

export const FPR95_TPR = 0.95;

/** Streams curve points; value() is the smallest FPR seen at TPR ≥ minimumTpr (1 if none). */
export class FprAtTpr implements CurvePointSink {
  private smallestFpr = Infinity;

  constructor(
    private readonly positives: number,
    private readonly negatives: number,
    private readonly minimumTpr = FPR95_TPR,
  ) {}

  addPoints(truePositives: Float64Array, falsePositives: Float64Array, count: number): void {
    for (let i = 0; i < count; i++) {
      if ((truePositives[i] as number) / this.positives < this.minimumTpr) continue;
      this.smallestFpr = Math.min(this.smallestFpr, (falsePositives[i] as number) / this.negatives);
    }
  }

  value(): number {
    return this.smallestFpr === Infinity ? 1 : this.smallestFpr;
  }
}
