import { planAxisResampling } from '../../image/axisResampling';
import { firstNonFinite, nonFiniteLogitError } from '../decoderOutputErrors';
import { ABOVE, LogitClasses, MIXED } from './logitClasses';
import type {
  LogitPlaneScan,
  MaskLogitScan,
  ScanThresholds,
  StabilityCounts,
} from './logitPlaneScan';
import type { MaskLogitKernel } from './maskLogitKernel';
import { MaskRuns } from './maskRuns';
import { innerOutputs, tapRanges, type InnerOutputs, type TapRange } from './tapGeometry';

/**
 * The stability scan on the WebAssembly kernel (maskLogitKernel): the counts, mask and box of the
 * full float64 upsampling (the reference scan's, bit for bit), with the full-size logits never
 * stored and most outputs decided without interpolating.
 *
 * The plane's logits are classified once against the lowest and highest threshold
 * (LogitClasses), and an output row then walks runs of columns whose logits, in the rows it reads,
 * all lie above or all below; only outputs reading a logit between the thresholds, or straddling
 * two runs (mask edges), are interpolated, in the kernel. Output rows that read the same low-res
 * rows share one plan of those runs.
 */
export class KernelPlaneScan implements LogitPlaneScan {
  readonly width: number;
  readonly height: number;
  readonly lowResSize: number;
  readonly usesKernel = true;
  private readonly kernel: MaskLogitKernel;
  private readonly rowTaps: TapRange;
  private readonly columnTaps: TapRange;
  private readonly columnSpans: InnerOutputs;
  private readonly classes: LogitClasses;
  // The decided segments of the current band of output rows (planSegments).
  private readonly segmentStarts: Int32Array;
  private readonly segmentEnds: Int32Array;
  private readonly segmentAbove: Uint8Array;
  private segmentCount = 0;
  private readonly runs = new MaskRuns();

  /** `kernel` was made by createMaskLogitKernel for the same geometry. */
  constructor(width: number, height: number, lowResSize: number, kernel: MaskLogitKernel) {
    this.width = width;
    this.height = height;
    this.lowResSize = lowResSize;
    this.kernel = kernel;
    this.rowTaps = tapRanges(planAxisResampling(lowResSize, height));
    this.columnTaps = tapRanges(planAxisResampling(lowResSize, width));
    this.columnSpans = innerOutputs(this.columnTaps, lowResSize);
    this.classes = new LogitClasses(lowResSize, kernel);
    // At most one decided segment per low-res column.
    this.segmentStarts = new Int32Array(lowResSize + 1);
    this.segmentEnds = new Int32Array(lowResSize + 1);
    this.segmentAbove = new Uint8Array(lowResSize + 1);
  }

  lowResStabilityCounts(
    logits: Float32Array,
    planeOffset: number,
    { stable, loose }: ScanThresholds,
  ): StabilityCounts {
    if (this.kernel.stabilityCounts(logits, planeOffset, stable, loose)) {
      const planeSize = this.lowResSize * this.lowResSize;
      throw nonFiniteLogitError(firstNonFinite(logits, planeOffset, planeSize));
    }
    return {
      looseCount: this.kernel.counts[0] as number,
      stableCount: this.kernel.counts[1] as number,
    };
  }

  scan(logits: Float32Array, planeOffset: number, thresholds: ScanThresholds): MaskLogitScan {
    const lowest = Math.min(thresholds.stable, thresholds.loose, thresholds.mask);
    const highest = Math.max(thresholds.stable, thresholds.loose, thresholds.mask);
    const scan: MaskLogitScan = { stableCount: 0, looseCount: 0, area: 0, box: [0, 0, 0, 0] };
    this.runs.clear();
    if (!this.classes.classify(logits, planeOffset, lowest, highest)) return scan;
    this.kernel.setThresholds(thresholds);
    // Output rows that read the same low-res rows (a band, when H > S) share one segment plan.
    let plannedFirstRow = -1;
    let plannedLastRow = -1;
    for (let y = 0; y < this.height; y++) {
      const firstRow = this.rowTaps.first[y] ?? 0;
      const lastRow = this.rowTaps.last[y] ?? 0;
      if (!this.classes.anyActive(firstRow, lastRow)) continue;
      if (firstRow !== plannedFirstRow || lastRow !== plannedLastRow) {
        this.classes.intersectRows(firstRow, lastRow);
        this.planSegments();
        plannedFirstRow = firstRow;
        plannedLastRow = lastRow;
      }
      this.scanRow(y, scan);
    }
    scan.area = this.runs.area();
    scan.box = this.runs.box();
    return scan;
  }

  takeRuns(): Uint32Array {
    return this.runs.take();
  }

  /**
   * The decided segments of the rows just intersected, left to right: the outputs
   * [segmentStarts[i], segmentEnds[i]] read only ABOVE (segmentAbove[i] = 1) or only BELOW columns.
   * The outputs between segments read a mixed column or straddle two runs.
   */
  private planSegments(): void {
    const { classes, width } = this;
    const { firstFrom, lastUpTo } = this.columnSpans;
    let count = 0;
    let column = 0;
    while (column < this.lowResSize) {
      const logitClass = classes.classAt(column);
      const end = classes.runEnd(column, logitClass);
      const start = column;
      column = end;
      if (logitClass === MIXED) continue;
      const first = firstFrom[start] ?? width;
      const last = lastUpTo[end - 1] ?? -1;
      if (first > last) continue;
      this.segmentStarts[count] = first;
      this.segmentEnds[count] = last;
      this.segmentAbove[count] = logitClass === ABOVE ? 1 : 0;
      count++;
    }
    this.segmentCount = count;
  }

  /**
   * Output row y, left to right over the planned segments: the outputs inside a segment are
   * decided in bulk; the outputs before each segment, and after the last, are interpolated by the
   * kernel.
   */
  private scanRow(y: number, scan: MaskLogitScan): void {
    const { width, segmentStarts, segmentEnds, segmentAbove, kernel, runs } = this;
    const rowStart = y * width;
    let stableCount = 0;
    let looseCount = 0;
    let runStart = -1;
    let x = 0;
    for (let segment = 0; segment <= this.segmentCount; segment++) {
      const last = segment === this.segmentCount;
      // The next segment's outputs [decidedStart, decidedEnd]; after the last: [width, width − 1].
      const decidedStart = last ? width : (segmentStarts[segment] as number);
      const decidedEnd = last ? width - 1 : (segmentEnds[segment] as number);
      if (x < decidedStart) {
        const toggles = kernel.interpolateSpan(
          y,
          this.columnTaps.first[x] as number,
          this.columnTaps.last[decidedStart - 1] as number,
          x,
          decidedStart,
          runStart >= 0,
        );
        looseCount += kernel.counts[0] as number;
        stableCount += kernel.counts[1] as number;
        for (let toggle = 0; toggle < toggles; toggle++) {
          const at = kernel.toggles[toggle] as number;
          if (runStart < 0) runStart = at;
          else {
            runs.add(y, rowStart, runStart, at);
            runStart = -1;
          }
        }
      }
      x = Math.max(x, decidedStart);
      if (last) break;
      if (segmentAbove[segment]) {
        looseCount += decidedEnd - decidedStart + 1;
        stableCount += decidedEnd - decidedStart + 1;
        if (runStart < 0) runStart = decidedStart;
      } else if (runStart >= 0) {
        runs.add(y, rowStart, runStart, decidedStart);
        runStart = -1;
      }
      x = decidedEnd + 1;
    }
    if (runStart >= 0) runs.add(y, rowStart, runStart, width);
    scan.looseCount += looseCount;
    scan.stableCount += stableCount;
  }
}
