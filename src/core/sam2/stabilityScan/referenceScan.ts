import { planAxisResampling, type AxisResampling } from '../../image/axisResampling';
import { requireFinite } from '../../checks';
import { nonFiniteLogitError } from '../decoderOutputErrors';
import type { LogitPlaneScan, MaskLogitScan, ScanThresholds } from './logitPlaneScan';
import { lowResStabilityCounts } from './lowResStability';
import { MaskRuns } from './maskRuns';

/**
 * The stability scan written plainly: every output of the H × W upsampling is computed with the
 * shared per-axis rule (row pass over all S columns, then column pass; each a float64 sum from 0
 * over the taps in plan order), counted and binarised. It is the definition the WebAssembly kernel
 * scan is tested against bit for bit, and the scan that runs where the kernel cannot (no
 * WebAssembly SIMD, or S not a multiple of 4).
 */
export class ReferencePlaneScan implements LogitPlaneScan {
  readonly width: number;
  readonly height: number;
  readonly lowResSize: number;
  readonly usesKernel = false;
  private readonly rows: AxisResampling;
  private readonly columns: AxisResampling;
  private readonly rowValues: Float64Array;
  private readonly runs = new MaskRuns();

  constructor(width: number, height: number, lowResSize = 256) {
    this.width = width;
    this.height = height;
    this.lowResSize = lowResSize;
    this.rows = planAxisResampling(lowResSize, height);
    this.columns = planAxisResampling(lowResSize, width);
    this.rowValues = new Float64Array(lowResSize);
  }

  scan(logits: Float32Array, planeOffset: number, thresholds: ScanThresholds): MaskLogitScan {
    const { width, height, rows, columns, rowValues, runs } = this;
    const S = this.lowResSize;
    requireFinite(logits, nonFiniteLogitError, planeOffset, planeOffset + S * S);
    const { loose, stable, mask } = thresholds;
    let looseCount = 0;
    let stableCount = 0;
    runs.clear();
    for (let y = 0; y < height; y++) {
      for (let c = 0; c < S; c++) {
        let value = 0;
        for (let tap = rows.offsets[y] ?? 0; tap < (rows.offsets[y + 1] ?? 0); tap++) {
          const row = rows.indices[tap] ?? 0;
          value += (rows.weights[tap] ?? 0) * (logits[planeOffset + row * S + c] ?? 0);
        }
        rowValues[c] = value;
      }
      let runStart = -1;
      for (let x = 0; x < width; x++) {
        let value = 0;
        for (let tap = columns.offsets[x] ?? 0; tap < (columns.offsets[x + 1] ?? 0); tap++) {
          value += (columns.weights[tap] ?? 0) * (rowValues[columns.indices[tap] ?? 0] ?? 0);
        }
        looseCount += +(value > loose);
        stableCount += +(value > stable);
        if (value > mask) {
          if (runStart < 0) runStart = x;
        } else if (runStart >= 0) {
          runs.add(y, y * width, runStart, x);
          runStart = -1;
        }
      }
      if (runStart >= 0) runs.add(y, y * width, runStart, width);
    }
    return { stableCount, looseCount, area: runs.area(), box: runs.box() };
  }

  takeRuns(): Uint32Array {
    return this.runs.take();
  }

  lowResStabilityCounts(logits: Float32Array, planeOffset: number, thresholds: ScanThresholds) {
    return lowResStabilityCounts(logits, planeOffset, this.lowResSize ** 2, thresholds);
  }
}
