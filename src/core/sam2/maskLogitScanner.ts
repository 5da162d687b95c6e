import { planAxisResampling, type AxisResampling } from '../image/axisResampling';
import { activeLowResBox } from './activeLogitBox';
import { outputRange, tapCells, tapRanges, type TapRange } from './tapGeometry';

/** An inclusive box [x0, y0, x1, y1]: the first and last mask column and row. */
export type InclusiveBox = [number, number, number, number];

/** What one pass over a candidate's upsampled logits yields. */
export interface MaskLogitScan {
  /** count(logit > maskThreshold + offset) */
  stableCount: number;
  /** count(logit > maskThreshold − offset); 0 means the stability score is undefined. */
  looseCount: number;
  /** count(logit > maskThreshold) */
  area: number;
  /** [0, 0, 0, 0] for an empty mask, as SAM's batched_mask_to_box. */
  box: InclusiveBox;
}

/**
 * Upsamples one low-resolution S × S mask-logit plane to the image's H × W with the shared
 * per-axis rule (rows, then columns) and, in the same pass, counts the stability score's two
 * thresholds, binarises at maskThreshold and finds the inclusive box. The full-size logits are
 * never stored: the axis weights are planned once, and the mask is kept as row-major runs.
 *
 * The work is skipped wherever the answer is known without interpolating, and the counts stay
 * exactly those of the full float64 upsampling: every output is a convex combination of the
 * low-res logits it reads, so outputs whose logits all lie below the lowest threshold (or all
 * above the highest) lie there too, and float64 rounding is far below the gap between a float32
 * logit and a threshold. Only the output window that reads some logit ≥ the lowest threshold is
 * visited, and inside it only the mixed cells along mask edges are interpolated pixel by pixel.
 */
export class MaskLogitScanner {
  readonly width: number;
  readonly height: number;
  readonly lowResSize: number;
  private readonly rows: AxisResampling;
  private readonly columns: AxisResampling;
  private readonly rowTaps: TapRange;
  private readonly columnTaps: TapRange;
  private readonly rowValues: Float64Array;
  /** The output row whose row pass each low-res column of rowValues holds. */
  private readonly rowValuesFor: Int32Array;
  private readonly columnMin: Float64Array;
  private readonly columnMax: Float64Array;
  /** Output columns grouped by identical taps: [xStart, xEnd, firstTap, lastTap] per cell. */
  private readonly cells: Int32Array;
  private runs: Uint32Array;
  private runCount = 0;
  // The plane being scanned, and the low-res rows the column bounds were taken over.
  private logits: Float32Array = new Float32Array(0);
  private planeOffset = 0;
  private boundsRows = { first: -1, last: -1 };

  constructor(width: number, height: number, lowResSize = 256) {
    this.width = width;
    this.height = height;
    this.lowResSize = lowResSize;
    this.rows = planAxisResampling(lowResSize, height);
    this.columns = planAxisResampling(lowResSize, width);
    this.rowTaps = tapRanges(this.rows);
    this.columnTaps = tapRanges(this.columns);
    this.rowValues = new Float64Array(lowResSize);
    this.rowValuesFor = new Int32Array(lowResSize);
    this.columnMin = new Float64Array(lowResSize);
    this.columnMax = new Float64Array(lowResSize);
    this.cells = tapCells(this.columnTaps);
    this.runs = new Uint32Array(1024);
  }

  /**
   * Scans the plane starting at `planeOffset` in `logits`. Throws on a non-finite logit (a broken
   * decoder run) rather than silently dropping the candidate.
   */
  scan(
    logits: Float32Array,
    planeOffset: number,
    maskThreshold: number,
    stabilityOffset: number,
  ): MaskLogitScan {
    const thresholds = {
      stable: maskThreshold + stabilityOffset,
      loose: maskThreshold - stabilityOffset,
      mask: maskThreshold,
    };
    const lowest = Math.min(thresholds.stable, thresholds.loose, maskThreshold);
    const highest = Math.max(thresholds.stable, thresholds.loose, maskThreshold);
    const scan: MaskLogitScan = { stableCount: 0, looseCount: 0, area: 0, box: [0, 0, 0, 0] };
    this.runCount = 0;
    this.logits = logits;
    this.planeOffset = planeOffset;
    this.boundsRows = { first: -1, last: -1 };
    this.rowValuesFor.fill(-1);
    const active = activeLowResBox(logits, planeOffset, this.lowResSize, lowest);
    if (active === undefined) return scan;
    const yRange = outputRange(this.rowTaps, active.y0, active.y1);
    const xRange = outputRange(this.columnTaps, active.x0, active.x1);
    const c0 = this.columnTaps.first[xRange.start] ?? 0;
    const c1 = this.columnTaps.last[xRange.end] ?? 0;
    const rowBox = { x0: this.width, x1: -1, y0: -1, y1: -1 };
    for (let y = yRange.start; y <= yRange.end; y++) {
      this.prepareColumnBounds(logits, planeOffset, y, c0, c1);
      const runsBefore = this.runCount;
      this.scanRow(y, xRange.start, xRange.end, thresholds, lowest, highest, scan, rowBox);
      if (this.runCount > runsBefore) {
        if (rowBox.y0 < 0) rowBox.y0 = y;
        rowBox.y1 = y;
      }
    }
    for (let run = 0; run < this.runCount; run++) {
      scan.area += (this.runs[2 * run + 1] ?? 0) - (this.runs[2 * run] ?? 0);
    }
    if (scan.area > 0) scan.box = [rowBox.x0, rowBox.y0, rowBox.x1, rowBox.y1];
    return scan;
  }

  /**
   * The min and max of the low-res logits each column reads for output row y, over low-res
   * columns [c0, c1]. Consecutive output rows usually read the same low-res rows, so the result is
   * reused until the row taps change.
   */
  private prepareColumnBounds(
    logits: Float32Array,
    planeOffset: number,
    y: number,
    c0: number,
    c1: number,
  ): void {
    const first = this.rowTaps.first[y] ?? 0;
    const last = this.rowTaps.last[y] ?? 0;
    if (first === this.boundsRows.first && last === this.boundsRows.last) return;
    this.boundsRows = { first, last };
    const { columnMin, columnMax } = this;
    const S = this.lowResSize;
    columnMin.fill(Infinity, c0, c1 + 1);
    columnMax.fill(-Infinity, c0, c1 + 1);
    for (let r = first; r <= last; r++) {
      const base = planeOffset + r * S;
      for (let c = c0; c <= c1; c++) {
        const logit = logits[base + c] ?? 0;
        if (logit < (columnMin[c] ?? 0)) columnMin[c] = logit;
        if (logit > (columnMax[c] ?? 0)) columnMax[c] = logit;
      }
    }
  }

  /** Row pass for output row y, low-res columns [c0, c1]: computed only where a cell needs it. */
  private interpolateRow(y: number, c0: number, c1: number): void {
    const { rows, rowValues, rowValuesFor, logits } = this;
    const S = this.lowResSize;
    const tapEnd = rows.offsets[y + 1] ?? 0;
    for (let c = c0; c <= c1; c++) {
      if (rowValuesFor[c] === y) continue;
      let value = 0;
      for (let tap = rows.offsets[y] ?? 0; tap < tapEnd; tap++) {
        value +=
          (rows.weights[tap] ?? 0) *
          (logits[this.planeOffset + (rows.indices[tap] ?? 0) * S + c] ?? 0);
      }
      rowValues[c] = value;
      rowValuesFor[c] = y;
    }
  }

  /**
   * Column pass of output row y over outputs [xStart, xEnd], one cell (outputs sharing the same
   * taps) at a time. A cell whose logits all exceed the highest threshold, or all fall below the
   * lowest, is decided without interpolating: its outputs are convex combinations of those logits
   * (float64 rounding is far below the gap between float32 logits and the thresholds). Only the
   * mixed cells along mask edges are evaluated pixel by pixel.
   */
  private scanRow(
    y: number,
    xStart: number,
    xEnd: number,
    thresholds: { stable: number; loose: number; mask: number },
    lowest: number,
    highest: number,
    scan: MaskLogitScan,
    box: { x0: number; x1: number },
  ): void {
    const { columns, rowValues, columnMin, columnMax, cells } = this;
    const rowStart = y * this.width;
    let runStart = -1;
    const closeRun = (end: number): void => {
      this.pushRun(rowStart + runStart, rowStart + end);
      box.x0 = Math.min(box.x0, runStart);
      box.x1 = Math.max(box.x1, end - 1);
      runStart = -1;
    };
    for (let cell = 0; cell < cells.length; cell += 4) {
      const cellStart = Math.max(cells[cell] ?? 0, xStart);
      const cellEnd = Math.min(cells[cell + 1] ?? 0, xEnd);
      if (cellEnd < cellStart) continue;
      let low = Infinity;
      let high = -Infinity;
      for (let c = cells[cell + 2] ?? 0; c <= (cells[cell + 3] ?? 0); c++) {
        low = Math.min(low, columnMin[c] ?? 0);
        high = Math.max(high, columnMax[c] ?? 0);
      }
      const count = cellEnd - cellStart + 1;
      if (low > highest) {
        scan.looseCount += count;
        scan.stableCount += count;
        if (runStart < 0) runStart = cellStart;
        continue;
      }
      if (high < lowest) {
        if (runStart >= 0) closeRun(cellStart);
        continue;
      }
      this.interpolateRow(y, cells[cell + 2] ?? 0, cells[cell + 3] ?? 0);
      for (let x = cellStart; x <= cellEnd; x++) {
        let value = 0;
        const tapEnd = columns.offsets[x + 1] ?? 0;
        for (let tap = columns.offsets[x] ?? 0; tap < tapEnd; tap++) {
          value += (columns.weights[tap] ?? 0) * (rowValues[columns.indices[tap] ?? 0] ?? 0);
        }
        if (value > thresholds.loose) scan.looseCount++;
        if (value > thresholds.stable) scan.stableCount++;
        if (value > thresholds.mask) {
          if (runStart < 0) runStart = x;
        } else if (runStart >= 0) {
          closeRun(x);
        }
      }
    }
    if (runStart >= 0) closeRun(xEnd + 1);
  }

  /** The last scan's mask as row-major runs [start, end) of pixel indices, flattened. */
  takeRuns(): Uint32Array {
    return this.runs.slice(0, 2 * this.runCount);
  }

  private pushRun(start: number, end: number): void {
    if (2 * this.runCount + 2 > this.runs.length) {
      const grown = new Uint32Array(this.runs.length * 2);
      grown.set(this.runs);
      this.runs = grown;
    }
    this.runs[2 * this.runCount] = start;
    this.runs[2 * this.runCount + 1] = end;
    this.runCount++;
  }
}
