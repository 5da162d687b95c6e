import { tapPairs, type AxisResampling, type TapPairs } from '../../image/axisResampling';
import { float32AtLeast, float32AtMost } from '../../numeric';
import type { ScanThresholds } from './logitPlaneScan';
import { MASK_LOGIT_KERNEL_WASM } from './maskLogitKernelWasm';

/**
 * maskLogitKernel.wat instantiated for one scan: S × S planes resampled to H × W by the row and
 * column plans. Its inputs and outputs are views of the instance's memory, laid out here:
 * parameters | plane | above | below | rowActive | rowValues | row plan | column plan or pairs |
 * pair group ends | toggles | counts.
 */
export interface MaskLogitKernel {
  readonly above: Int32Array;
  readonly below: Int32Array;
  readonly rowActive: Uint8Array;
  /** Output columns where the mask state changed, written by interpolateSpan. */
  readonly toggles: Int32Array;
  /** [loose, stable]: the counts of the last interpolateSpan or stabilityCounts. */
  readonly counts: Int32Array;
  /** Copies the plane in and classifies it (LogitClasses.classify's contract). */
  classify(logits: Float32Array, planeOffset: number, lowest: number, highest: number): number;
  /**
   * Copies the plane in and counts its logits above the stable and loose thresholds (the fast
   * path's lowResStabilityCounts) into `counts`; true when the plane holds a non-finite logit.
   */
  stabilityCounts(
    logits: Float32Array,
    planeOffset: number,
    stable: number,
    loose: number,
  ): boolean;
  /** The thresholds of the interpolateSpan calls that follow (one plane's scan). */
  setThresholds(thresholds: ScanThresholds): void;
  /**
   * Interpolates output columns [x0, x1) of output row y of the plane last classified; low-res
   * columns [c0, c1] cover their taps. `inside`: whether the mask run is open at x0. Returns the
   * number of toggles.
   */
  interpolateSpan(
    y: number,
    c0: number,
    c1: number,
    x0: number,
    x1: number,
    inside: boolean,
  ): number;
}

/** classify's result flags. */
export const KERNEL_ANY_ACTIVE = 1;
export const KERNEL_NON_FINITE = 2;

/**
 * The kernel's parameter block, the one argument of each of its functions: byte offsets of the
 * fields (the same table heads maskLogitKernel.wat). Addresses and sizes are i32; the thresholds
 * are f32 (classify, stabilityCounts) or f64 (interpolateSpan).
 */
const PARAMETERS = {
  plane: 0,
  size: 4,
  above: 8,
  below: 12,
  rowActive: 16,
  rowValues: 20,
  rowOffsets: 24,
  rowIndices: 28,
  rowWeights: 32,
  columnOffsets: 36,
  columnIndices: 40,
  columnWeights: 44,
  pairedColumns: 48,
  first: 52,
  second: 56,
  firstWeight: 60,
  secondWeight: 64,
  groupEnds: 68,
  toggles: 72,
  counts: 76,
  y: 80,
  c0: 84,
  c1: 88,
  x0: 92,
  x1: 96,
  inside: 100,
  lowestF32: 104,
  highestF32: 108,
  stableF32: 112,
  looseF32: 116,
  loose: 120,
  stable: 128,
  mask: 136,
} as const;
const PARAMETER_BYTES = 144;

let kernelModule: WebAssembly.Module | null | undefined;

/** Compiled once; null where WebAssembly SIMD is unavailable (the reference scan then runs). */
function maskLogitKernelModule(): WebAssembly.Module | null {
  if (kernelModule === undefined) {
    const valid = typeof WebAssembly === 'object' && WebAssembly.validate(MASK_LOGIT_KERNEL_WASM);
    kernelModule = valid ? new WebAssembly.Module(MASK_LOGIT_KERNEL_WASM) : null;
  }
  return kernelModule;
}

type KernelFunction = (parameters: number) => number;

/**
 * The kernel for S × S planes resampled by `rows` (S → H) and `columns` (S → W); undefined when
 * it cannot run: no SIMD, or S not a multiple of 4 (classify reads whole groups of four).
 */
export function createMaskLogitKernel(
  size: number,
  rows: AxisResampling,
  columns: AxisResampling,
): MaskLogitKernel | undefined {
  const module = size % 4 === 0 ? maskLogitKernelModule() : null;
  if (!module) return undefined;
  const instance = new WebAssembly.Instance(module);
  const exports = instance.exports as {
    memory: WebAssembly.Memory;
    classify: KernelFunction;
    interpolateSpan: KernelFunction;
    stabilityCounts: KernelFunction;
  };
  const width = columns.outLength;
  const words = size * Math.ceil(size / 32);
  const columnPairs = tapPairs(columns);
  const pairs = columnPairs ? width : 0;
  const columnTaps = columnPairs ? 0 : columns.indices.length;
  let end = 0;
  const reserve = (bytes: number) => {
    const offset = end;
    end += Math.ceil(bytes / 8) * 8; // float64 views need 8-byte alignment
    return offset;
  };
  const at = {
    parameters: reserve(PARAMETER_BYTES),
    plane: reserve(4 * size * size),
    above: reserve(4 * words),
    below: reserve(4 * words),
    rowActive: reserve(size),
    rowValues: reserve(8 * size),
    rowOffsets: reserve(4 * rows.offsets.length),
    rowIndices: reserve(4 * rows.indices.length),
    rowWeights: reserve(8 * rows.weights.length),
    columnOffsets: reserve(columnPairs ? 0 : 4 * columns.offsets.length),
    columnIndices: reserve(4 * columnTaps),
    columnWeights: reserve(8 * columnTaps),
    first: reserve(4 * pairs),
    second: reserve(4 * pairs),
    firstWeight: reserve(8 * pairs),
    secondWeight: reserve(8 * pairs),
    groupEnds: reserve(4 * pairs),
    toggles: reserve(4 * (width + 1)),
    counts: reserve(8),
  };
  exports.memory.grow(Math.ceil(end / 65536));
  const { buffer } = exports.memory;
  const int32At = (offset: number, length: number) => new Int32Array(buffer, offset, length);
  const float64At = (offset: number, length: number) => new Float64Array(buffer, offset, length);
  int32At(at.rowOffsets, rows.offsets.length).set(rows.offsets);
  int32At(at.rowIndices, rows.indices.length).set(rows.indices);
  float64At(at.rowWeights, rows.weights.length).set(rows.weights);
  if (columnPairs) {
    int32At(at.first, pairs).set(columnPairs.first);
    int32At(at.second, pairs).set(columnPairs.second);
    float64At(at.firstWeight, pairs).set(columnPairs.firstWeight);
    float64At(at.secondWeight, pairs).set(columnPairs.secondWeight);
    int32At(at.groupEnds, pairs).set(pairGroupEnds(columnPairs));
  } else {
    int32At(at.columnOffsets, columns.offsets.length).set(columns.offsets);
    int32At(at.columnIndices, columnTaps).set(columns.indices);
    float64At(at.columnWeights, columnTaps).set(columns.weights);
  }
  const parameterInts = int32At(at.parameters, PARAMETER_BYTES / 4);
  const parameterFloats = new Float32Array(buffer, at.parameters, PARAMETER_BYTES / 4);
  const parameterDoubles = float64At(at.parameters, PARAMETER_BYTES / 8);
  const setInt = (field: keyof typeof PARAMETERS, value: number) => {
    parameterInts[PARAMETERS[field] / 4] = value;
  };
  for (const field of [
    'plane',
    'above',
    'below',
    'rowActive',
    'rowValues',
    'rowOffsets',
    'rowIndices',
    'rowWeights',
    'columnOffsets',
    'columnIndices',
    'columnWeights',
    'first',
    'second',
    'firstWeight',
    'secondWeight',
    'groupEnds',
    'toggles',
    'counts',
  ] as const) {
    setInt(field, at[field]);
  }
  setInt('size', size);
  setInt('pairedColumns', columnPairs ? 1 : 0);
  // The per-call fields, as indices into the views above.
  const span = PARAMETERS.y / 4;
  const plane = new Float32Array(buffer, at.plane, size * size);
  return {
    above: int32At(at.above, words),
    below: int32At(at.below, words),
    rowActive: new Uint8Array(buffer, at.rowActive, size),
    toggles: int32At(at.toggles, width + 1),
    counts: int32At(at.counts, 2),
    classify(logits, planeOffset, lowest, highest) {
      plane.set(logits.subarray(planeOffset, planeOffset + size * size));
      // Rounded so that the kernel's float32 comparisons equal the float64 ones.
      parameterFloats[PARAMETERS.lowestF32 / 4] = float32AtLeast(lowest);
      parameterFloats[PARAMETERS.highestF32 / 4] = float32AtMost(highest);
      return exports.classify(at.parameters);
    },
    stabilityCounts(logits, planeOffset, stable, loose) {
      plane.set(logits.subarray(planeOffset, planeOffset + size * size));
      parameterFloats[PARAMETERS.stableF32 / 4] = float32AtMost(stable);
      parameterFloats[PARAMETERS.looseF32 / 4] = float32AtMost(loose);
      return exports.stabilityCounts(at.parameters) !== 0;
    },
    setThresholds({ loose, stable, mask }) {
      parameterDoubles[PARAMETERS.loose / 8] = loose;
      parameterDoubles[PARAMETERS.stable / 8] = stable;
      parameterDoubles[PARAMETERS.mask / 8] = mask;
    },
    interpolateSpan(y, c0, c1, x0, x1, inside) {
      parameterInts[span] = y;
      parameterInts[span + 1] = c0;
      parameterInts[span + 2] = c1;
      parameterInts[span + 3] = x0;
      parameterInts[span + 4] = x1;
      parameterInts[span + 5] = inside ? 1 : 0;
      return exports.interpolateSpan(at.parameters);
    },
  };
}

/** Per output, the first later output that reads another pair of inputs (outLength when none). */
function pairGroupEnds(pairs: TapPairs): Int32Array {
  const { first, second } = pairs;
  const ends = new Int32Array(first.length);
  let end = first.length;
  for (let x = first.length - 1; x >= 0; x--) {
    if (x + 1 < first.length && (first[x] !== first[x + 1] || second[x] !== second[x + 1])) {
      end = x + 1;
    }
    ends[x] = end;
  }
  return ends;
}
