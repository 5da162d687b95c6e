import {
  planAxisResampling,
  tapPairs,
  type AxisResampling,
  type TapPairs,
} from '../image/axisResampling';
import { ABOVE, LogitClasses, MIXED } from './logitClasses';
import { firstNonFinite, nonFiniteLogitError } from './decoderOutputErrors';
import { lowResStabilityCounts } from './lowResStability';
import { createMaskLogitKernel, type MaskLogitKernel } from './maskLogitKernel';
import { innerOutputs, tapRanges, type InnerOutputs, type TapRange } from './tapGeometry';

/** An inclusive box [x0, y0, x1, y1]: the first and last mask column and row. */
export type InclusiveBox = [number, number, number, number];

/** The stability score's two counts. */
export interface StabilityCounts {
  /** count(logit > maskThreshold + offset) */
  stableCount: number;
  /** count(logit > maskThreshold − offset); 0 means the stability score is undefined. */
  looseCount: number;
}

/** What one pass over a candidate's upsampled logits yields. */
export interface MaskLogitScan extends StabilityCounts {
  /** count(logit > maskThreshold) */
  area: number;
  /** [0, 0, 0, 0] for an empty mask, as SAM's batched_mask_to_box. */
  box: InclusiveBox;
}

interface Thresholds {
  stable: number;
  loose: number;
  mask: number;
}

/**
 * Upsamples one low-resolution S × S mask-logit plane to the image's H × W with the shared
 * per-axis rule (rows, then columns) and, in the same pass, counts the stability score's two
 * thresholds, binarises at maskThreshold and finds the inclusive box. The full-size logits are
 * never stored: the axis weights are planned once, and the mask is kept as row-major runs.
 *
 * The counts stay exactly those of the full float64 upsampling while most outputs are decided
 * without interpolating: the plane's logits are classified once against the lowest and highest
 * threshold (LogitClasses), and an output row then walks runs of columns whose logits, in the rows
 * it reads, all lie above or all below; only outputs reading a logit between the thresholds, or
 * straddling two runs (mask edges), are interpolated one by one. Output rows that read the same
 * low-res rows share one plan of those runs. Where it can run, the WebAssembly kernel
 * (maskLogitKernel) classifies and interpolates; `kernel: false` keeps to the TypeScript loops,
 * which the tests compare it with.
 */
export class MaskLogitScanner {
  readonly width: number;
  readonly height: number;
  readonly lowResSize: number;
  private readonly rows: AxisResampling;
  private readonly columns: AxisResampling;
  private readonly rowTaps: TapRange;
  private readonly columnTaps: TapRange;
  private readonly columnSpans: InnerOutputs;
  private readonly rowPairs: TapPairs | null;
  private readonly columnPairs: TapPairs | null;
  private readonly classes: LogitClasses;
  /** The WebAssembly kernel for classify and, with tap pairs on both axes, interpolation. */
  private readonly kernel: MaskLogitKernel | undefined;
  /** The kernel again where it also interpolates: both axes resample by tap pairs. */
  private readonly interpolationKernel: MaskLogitKernel | undefined;
  /** The row pass of the output row being scanned, where its mixed outputs need it. */
  private readonly rowValues: Float64Array;
  // The decided segments of the current band of output rows (planSegments).
  private readonly segmentStarts: Int32Array;
  private readonly segmentEnds: Int32Array;
  private readonly segmentAbove: Uint8Array;
  private segmentCount = 0;
  /** The counts of the last interpolated span. */
  private readonly spanCounts = { loose: 0, stable: 0 };
  private runs: Uint32Array;
  private runCount = 0;
  // The plane being scanned.
  private logits: Float32Array = new Float32Array(0);
  private planeOffset = 0;

  constructor(width: number, height: number, lowResSize = 256, options: { kernel?: boolean } = {}) {
    this.width = width;
    this.height = height;
    this.lowResSize = lowResSize;
    this.rows = planAxisResampling(lowResSize, height);
    this.columns = planAxisResampling(lowResSize, width);
    this.rowTaps = tapRanges(this.rows);
    this.columnTaps = tapRanges(this.columns);
    this.columnSpans = innerOutputs(this.columnTaps, lowResSize);
    this.rowPairs = tapPairs(this.rows);
    this.columnPairs = tapPairs(this.columns);
    this.kernel =
      options.kernel === false
        ? undefined
        : createMaskLogitKernel(lowResSize, width, this.columnPairs);
    this.interpolationKernel = this.rowPairs && this.columnPairs ? this.kernel : undefined;
    this.classes = new LogitClasses(lowResSize, this.kernel);
    this.rowValues = new Float64Array(lowResSize);
    // At most one decided segment per low-res column.
    this.segmentStarts = new Int32Array(lowResSize + 1);
    this.segmentEnds = new Int32Array(lowResSize + 1);
    this.segmentAbove = new Uint8Array(lowResSize + 1);
    this.runs = new Uint32Array(1024);
  }

  /** Whether the WebAssembly kernel runs (else TypeScript loops do the same work). */
  get usesKernel(): boolean {
    return this.kernel !== undefined;
  }

  /**
   * The fast path's stability counts on the plane's low-res logits themselves (see
   * lowResStabilityCounts), in the kernel when it runs.
   */
  lowResStabilityCounts(
    logits: Float32Array,
    planeOffset: number,
    maskThreshold: number,
    stabilityOffset: number,
  ): StabilityCounts {
    const planeSize = this.lowResSize * this.lowResSize;
    if (!this.kernel) {
      return lowResStabilityCounts(logits, planeOffset, planeSize, maskThreshold, stabilityOffset);
    }
    const stable = maskThreshold + stabilityOffset;
    const loose = maskThreshold - stabilityOffset;
    if (this.kernel.stabilityCounts(logits, planeOffset, stable, loose)) {
      throw nonFiniteLogitError(firstNonFinite(logits, planeOffset, planeSize));
    }
    return {
      looseCount: this.kernel.counts[0] as number,
      stableCount: this.kernel.counts[1] as number,
    };
  }

  /**
   * Scans the plane starting at `planeOffset` in `logits`. With stabilityOffset 0 this is just
   * the mask and its box, and only the mask's edges interpolate. Throws on a non-finite logit (a
   * broken decoder run) rather than silently dropping the candidate.
   */
  scan(
    logits: Float32Array,
    planeOffset: number,
    maskThreshold: number,
    stabilityOffset: number,
  ): MaskLogitScan {
    const thresholds: Thresholds = {
      stable: maskThreshold + stabilityOffset,
      loose: maskThreshold - stabilityOffset,
      mask: maskThreshold,
    };
    const lowest = Math.min(thresholds.stable, thresholds.loose, maskThreshold);
    const highest = Math.max(thresholds.stable, thresholds.loose, maskThreshold);
    const scan: MaskLogitScan = { stableCount: 0, looseCount: 0, area: 0, box: [0, 0, 0, 0] };
    this.runCount = 0;
    if (!this.classes.classify(logits, planeOffset, lowest, highest)) return scan;
    this.logits = logits;
    this.planeOffset = planeOffset;
    const box = { x0: this.width, x1: -1, y0: -1, y1: -1 };
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
      const runsBefore = this.runCount;
      this.scanRow(y, thresholds, scan, box);
      if (this.runCount > runsBefore) {
        if (box.y0 < 0) box.y0 = y;
        box.y1 = y;
      }
    }
    for (let run = 0; run < this.runCount; run++) {
      scan.area += (this.runs[2 * run + 1] ?? 0) - (this.runs[2 * run] ?? 0);
    }
    if (scan.area > 0) scan.box = [box.x0, box.y0, box.x1, box.y1];
    return scan;
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
   * decided in bulk; the outputs before each segment, and after the last, are interpolated one by
   * one.
   */
  private scanRow(
    y: number,
    thresholds: Thresholds,
    scan: MaskLogitScan,
    box: { x0: number; x1: number },
  ): void {
    const { width, segmentStarts, segmentEnds, segmentAbove } = this;
    const rowStart = y * width;
    const kernel = this.interpolationKernel;
    const rowPairs = this.rowPairs;
    const firstRowAt = rowPairs ? (rowPairs.first[y] as number) * this.lowResSize : 0;
    const secondRowAt = rowPairs ? (rowPairs.second[y] as number) * this.lowResSize : 0;
    const firstRowWeight = rowPairs ? (rowPairs.firstWeight[y] as number) : 0;
    const secondRowWeight = rowPairs ? (rowPairs.secondWeight[y] as number) : 0;
    let stableCount = 0;
    let looseCount = 0;
    let runStart = -1;
    let x = 0;
    for (let segment = 0; segment <= this.segmentCount; segment++) {
      const last = segment === this.segmentCount;
      // The next segment's outputs [decidedStart, decidedEnd]; after the last: [width, width − 1].
      const decidedStart = last ? width : (segmentStarts[segment] as number);
      const decidedEnd = last ? width - 1 : (segmentEnds[segment] as number);
      if (x < decidedStart && kernel) {
        // Inlined: this is the scan's most frequent call.
        const toggles = kernel.interpolateSpan(
          firstRowAt,
          secondRowAt,
          firstRowWeight,
          secondRowWeight,
          this.columnTaps.first[x] as number,
          this.columnTaps.last[decidedStart - 1] as number,
          x,
          decidedStart,
          thresholds,
          runStart >= 0,
        );
        looseCount += kernel.counts[0] as number;
        stableCount += kernel.counts[1] as number;
        for (let toggle = 0; toggle < toggles; toggle++) {
          const at = kernel.toggles[toggle] as number;
          if (runStart < 0) runStart = at;
          else {
            this.closeRun(rowStart, runStart, at, box);
            runStart = -1;
          }
        }
      } else if (x < decidedStart) {
        runStart = this.interpolateInJs(y, x, decidedStart, thresholds, rowStart, runStart, box);
        looseCount += this.spanCounts.loose;
        stableCount += this.spanCounts.stable;
      }
      x = Math.max(x, decidedStart);
      if (last) break;
      if (segmentAbove[segment]) {
        looseCount += decidedEnd - decidedStart + 1;
        stableCount += decidedEnd - decidedStart + 1;
        if (runStart < 0) runStart = decidedStart;
      } else if (runStart >= 0) {
        this.closeRun(rowStart, runStart, decidedStart, box);
        runStart = -1;
      }
      x = decidedEnd + 1;
    }
    if (runStart >= 0) this.closeRun(rowStart, runStart, width, box);
    scan.looseCount += looseCount;
    scan.stableCount += stableCount;
  }

  /**
   * Interpolates outputs [x0, x1) of row y in TypeScript (where the kernel does not): counts
   * them against the thresholds (into spanCounts)
   * and extends or closes the mask run open at x0 (openRun, −1 for none). Returns the run open at
   * x1.
   */
  private interpolateInJs(
    y: number,
    x0: number,
    x1: number,
    thresholds: Thresholds,
    rowStart: number,
    openRun: number,
    box: { x0: number; x1: number },
  ): number {
    const c0 = this.columnTaps.first[x0] as number;
    const c1 = this.columnTaps.last[x1 - 1] as number;
    let runStart = openRun;
    this.rowPass(y, c0, c1);
    const { columnPairs, rowValues } = this;
    const { loose, stable, mask } = thresholds;
    let looseCount = 0;
    let stableCount = 0;
    for (let x = x0; x < x1; x++) {
      const value = columnPairs
        ? (columnPairs.firstWeight[x] as number) *
            (rowValues[columnPairs.first[x] as number] as number) +
          (columnPairs.secondWeight[x] as number) *
            (rowValues[columnPairs.second[x] as number] as number)
        : this.columnPass(x);
      looseCount += +(value > loose);
      stableCount += +(value > stable);
      if (value > mask) {
        if (runStart < 0) runStart = x;
      } else if (runStart >= 0) {
        this.closeRun(rowStart, runStart, x, box);
        runStart = -1;
      }
    }
    this.spanCounts.loose = looseCount;
    this.spanCounts.stable = stableCount;
    return runStart;
  }

  /** Row pass of output row y into rowValues, for low-res columns [c0, c1]. */
  private rowPass(y: number, c0: number, c1: number): void {
    const { rows, rowPairs, rowValues, logits, planeOffset } = this;
    const S = this.lowResSize;
    if (rowPairs) {
      const first = planeOffset + (rowPairs.first[y] ?? 0) * S;
      const second = planeOffset + (rowPairs.second[y] ?? 0) * S;
      const firstWeight = rowPairs.firstWeight[y] ?? 0;
      const secondWeight = rowPairs.secondWeight[y] ?? 0;
      for (let c = c0; c <= c1; c++) {
        rowValues[c] =
          firstWeight * (logits[first + c] ?? 0) + secondWeight * (logits[second + c] ?? 0);
      }
      return;
    }
    const tapStart = rows.offsets[y] ?? 0;
    const tapEnd = rows.offsets[y + 1] ?? 0;
    for (let c = c0; c <= c1; c++) {
      let value = 0;
      for (let tap = tapStart; tap < tapEnd; tap++) {
        value +=
          (rows.weights[tap] ?? 0) * (logits[planeOffset + (rows.indices[tap] ?? 0) * S + c] ?? 0);
      }
      rowValues[c] = value;
    }
  }

  /** Column pass: the upsampled logit at output column x of the row in rowValues. */
  private columnPass(x: number): number {
    const { columns, columnPairs, rowValues } = this;
    if (columnPairs) {
      return (
        (columnPairs.firstWeight[x] ?? 0) * (rowValues[columnPairs.first[x] ?? 0] ?? 0) +
        (columnPairs.secondWeight[x] ?? 0) * (rowValues[columnPairs.second[x] ?? 0] ?? 0)
      );
    }
    let value = 0;
    const tapEnd = columns.offsets[x + 1] ?? 0;
    for (let tap = columns.offsets[x] ?? 0; tap < tapEnd; tap++) {
      value += (columns.weights[tap] ?? 0) * (rowValues[columns.indices[tap] ?? 0] ?? 0);
    }
    return value;
  }

  /** The last scan's mask as row-major runs [start, end) of pixel indices, flattened. */
  takeRuns(): Uint32Array {
    return this.runs.slice(0, 2 * this.runCount);
  }

  private closeRun(
    rowStart: number,
    start: number,
    end: number,
    box: { x0: number; x1: number },
  ): void {
    if (2 * this.runCount + 2 > this.runs.length) {
      const grown = new Uint32Array(this.runs.length * 2);
      grown.set(this.runs);
      this.runs = grown;
    }
    this.runs[2 * this.runCount] = rowStart + start;
    this.runs[2 * this.runCount + 1] = rowStart + end;
    this.runCount++;
    box.x0 = Math.min(box.x0, start);
    box.x1 = Math.max(box.x1, end - 1);
  }
}
