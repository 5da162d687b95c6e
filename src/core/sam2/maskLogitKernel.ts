import type { TapPairs } from '../image/axisResampling';
import { float32AtLeast, float32AtMost } from '../numeric';
import { MASK_LOGIT_KERNEL_WASM } from './maskLogitKernelWasm';

/**
 * maskLogitKernel.wat instantiated for one scanner: S × S planes and H × W outputs. Its inputs and
 * outputs are views of the instance's memory, laid out here:
 * plane | above | below | rowActive | rowValues | column pairs | pair group ends | toggles | counts.
 */
export interface MaskLogitKernel {
  /** The plane being scanned, copied in by classify. */
  readonly plane: Float32Array;
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
  /**
   * Interpolates output columns [x0, x1) of a row that reads plane rows firstRow and secondRow;
   * low-res columns [c0, c1] cover their taps. Returns the number of toggles.
   */
  interpolateSpan(
    firstRow: number,
    secondRow: number,
    firstRowWeight: number,
    secondRowWeight: number,
    c0: number,
    c1: number,
    x0: number,
    x1: number,
    thresholds: { loose: number; stable: number; mask: number },
    inside: boolean,
  ): number;
}

/** classify's result flags. */
export const KERNEL_ANY_ACTIVE = 1;
export const KERNEL_NON_FINITE = 2;

let kernelModule: WebAssembly.Module | null | undefined;

/** Compiled once; null where WebAssembly SIMD is unavailable (the TypeScript loops then run). */
function maskLogitKernelModule(): WebAssembly.Module | null {
  if (kernelModule === undefined) {
    const valid = typeof WebAssembly === 'object' && WebAssembly.validate(MASK_LOGIT_KERNEL_WASM);
    kernelModule = valid ? new WebAssembly.Module(MASK_LOGIT_KERNEL_WASM) : null;
  }
  return kernelModule;
}

/**
 * The kernel for S × S planes and `width` output columns resampled by `columnPairs`; undefined
 * when it cannot run: no SIMD, or S not a multiple of 4 (classify reads whole groups of four).
 */
export function createMaskLogitKernel(
  size: number,
  width: number,
  columnPairs: TapPairs | null,
): MaskLogitKernel | undefined {
  const module = size % 4 === 0 ? maskLogitKernelModule() : null;
  if (!module) return undefined;
  const instance = new WebAssembly.Instance(module);
  const exports = instance.exports as {
    memory: WebAssembly.Memory;
    classify: (...args: number[]) => number;
    interpolateSpan: (...args: number[]) => number;
    stabilityCounts: (...args: number[]) => number;
  };
  const words = size * Math.ceil(size / 32);
  const pairs = columnPairs ? width : 0;
  let end = 0;
  const reserve = (bytes: number) => {
    const offset = end;
    end += Math.ceil(bytes / 8) * 8; // float64 views need 8-byte alignment
    return offset;
  };
  const planeAt = reserve(4 * size * size);
  const aboveAt = reserve(4 * words);
  const belowAt = reserve(4 * words);
  const activeAt = reserve(size);
  const rowValuesAt = reserve(8 * size);
  const firstAt = reserve(4 * pairs);
  const secondAt = reserve(4 * pairs);
  const firstWeightAt = reserve(8 * pairs);
  const secondWeightAt = reserve(8 * pairs);
  const groupEndsAt = reserve(4 * pairs);
  const togglesAt = reserve(4 * (width + 1));
  const countsAt = reserve(8);
  exports.memory.grow(Math.ceil(end / 65536));
  const { buffer } = exports.memory;
  if (columnPairs) {
    new Int32Array(buffer, firstAt, pairs).set(columnPairs.first);
    new Int32Array(buffer, secondAt, pairs).set(columnPairs.second);
    new Float64Array(buffer, firstWeightAt, pairs).set(columnPairs.firstWeight);
    new Float64Array(buffer, secondWeightAt, pairs).set(columnPairs.secondWeight);
    new Int32Array(buffer, groupEndsAt, pairs).set(pairGroupEnds(columnPairs));
  }
  const plane = new Float32Array(buffer, planeAt, size * size);
  return {
    plane,
    above: new Int32Array(buffer, aboveAt, words),
    below: new Int32Array(buffer, belowAt, words),
    rowActive: new Uint8Array(buffer, activeAt, size),
    toggles: new Int32Array(buffer, togglesAt, width + 1),
    counts: new Int32Array(buffer, countsAt, 2),
    classify(logits, planeOffset, lowest, highest) {
      plane.set(logits.subarray(planeOffset, planeOffset + size * size));
      // Rounded so that the kernel's float32 comparisons equal the float64 ones.
      const [low, high] = [float32AtLeast(lowest), float32AtMost(highest)];
      return exports.classify(planeAt, size, aboveAt, belowAt, activeAt, low, high);
    },
    stabilityCounts(logits, planeOffset, stable, loose) {
      plane.set(logits.subarray(planeOffset, planeOffset + size * size));
      const [stableAt, looseAt] = [float32AtMost(stable), float32AtMost(loose)];
      return exports.stabilityCounts(planeAt, size * size, stableAt, looseAt, countsAt) !== 0;
    },
    interpolateSpan(
      firstRow,
      secondRow,
      firstRowWeight,
      secondRowWeight,
      c0,
      c1,
      x0,
      x1,
      t,
      inside,
    ) {
      if (!columnPairs) throw new Error('interpolateSpan needs column tap pairs');
      return exports.interpolateSpan(
        planeAt,
        firstRow,
        secondRow,
        firstRowWeight,
        secondRowWeight,
        c0,
        c1,
        x0,
        x1,
        t.loose,
        t.stable,
        t.mask,
        inside ? 1 : 0,
        rowValuesAt,
        firstAt,
        secondAt,
        firstWeightAt,
        secondWeightAt,
        groupEndsAt,
        togglesAt,
        countsAt,
      );
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
