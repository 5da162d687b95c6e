import { firstNonFinite, nonFiniteLogitError } from './decoderOutputErrors';
import { KERNEL_ANY_ACTIVE, KERNEL_NON_FINITE, type MaskLogitKernel } from './maskLogitKernel';

/** What every logit an upsampled output reads says about that output. */
export const ABOVE = 2;
export const BELOW = 0;
export const MIXED = 1;
export type LogitClass = typeof ABOVE | typeof BELOW | typeof MIXED;

/** Which of four values exceed the threshold, as bits 0 to 3 (no branches). */
function exceeding(v0: number, v1: number, v2: number, v3: number, threshold: number): number {
  return (
    +(v0 > threshold) |
    (+(v1 > threshold) << 1) |
    (+(v2 > threshold) << 2) |
    (+(v3 > threshold) << 3)
  );
}

/**
 * The low-res logits of one S × S plane, classified once: per row, a bitset of the columns above
 * the highest threshold and one of those below the lowest (32 columns a word). Every upsampled
 * output is a convex combination of the logits it reads, so an output that reads only "above"
 * logits lies above every threshold and one that reads only "below" logits lies under every
 * threshold (float64 rounding is far below the gap between a float32 logit and a threshold).
 * Intersecting the bitsets of the rows an output row reads gives, in a few word operations, the
 * runs of columns that decide its outputs without interpolating.
 */
export class LogitClasses {
  readonly size: number;
  private readonly wordsPerRow: number;
  private readonly above: Int32Array;
  private readonly below: Int32Array;
  /** 1 where the low-res row holds a logit that is not below the lowest threshold. */
  private readonly rowActive: Uint8Array;
  // For the rows intersected last: columns whose logits are all above, all below, either.
  private readonly allAbove: Int32Array;
  private readonly allBelow: Int32Array;
  private readonly decided: Int32Array;
  /** The WebAssembly kernel, whose memory then holds the bitsets; else a TypeScript loop. */
  private readonly kernel: MaskLogitKernel | undefined;

  constructor(size: number, kernel?: MaskLogitKernel) {
    this.size = size;
    this.wordsPerRow = Math.ceil(size / 32);
    this.kernel = kernel;
    this.above = this.kernel?.above ?? new Int32Array(size * this.wordsPerRow);
    this.below = this.kernel?.below ?? new Int32Array(size * this.wordsPerRow);
    this.rowActive = this.kernel?.rowActive ?? new Uint8Array(size);
    this.allAbove = new Int32Array(this.wordsPerRow);
    this.allBelow = new Int32Array(this.wordsPerRow);
    this.decided = new Int32Array(this.wordsPerRow);
  }

  /**
   * Classifies the plane at planeOffset; false when every logit is below `lowest` (nothing to
   * scan). Every logit is visited, so this is also where non-finite logits are caught.
   */
  classify(logits: Float32Array, planeOffset: number, lowest: number, highest: number): boolean {
    const planeSize = this.size * this.size;
    if (this.kernel) {
      const flags = this.kernel.classify(logits, planeOffset, lowest, highest);
      if (flags & KERNEL_NON_FINITE) {
        throw nonFiniteLogitError(firstNonFinite(logits, planeOffset, planeSize));
      }
      return (flags & KERNEL_ANY_ACTIVE) !== 0;
    }
    const { size, wordsPerRow, above, below, rowActive } = this;
    // Finite float32 values cannot overflow a float64 sum, so a non-finite sum means a bad logit.
    // Four sums and branch-free bits keep the loop free of long dependency chains and mispredicts.
    let sum0 = 0;
    let sum1 = 0;
    let sum2 = 0;
    let sum3 = 0;
    let anyActive = false;
    for (let row = 0; row < size; row++) {
      let notBelow = 0;
      for (let word = 0; word < wordsPerRow; word++) {
        const start = planeOffset + row * size + word * 32;
        const count = Math.min(32, size - word * 32);
        let aboveBits = 0;
        let belowBits = 0;
        let bit = 0;
        for (; bit + 4 <= count; bit += 4) {
          const v0 = logits[start + bit] ?? NaN;
          const v1 = logits[start + bit + 1] ?? NaN;
          const v2 = logits[start + bit + 2] ?? NaN;
          const v3 = logits[start + bit + 3] ?? NaN;
          sum0 += v0;
          sum1 += v1;
          sum2 += v2;
          sum3 += v3;
          aboveBits |= exceeding(v0, v1, v2, v3, highest) << bit;
          belowBits |= exceeding(-v0, -v1, -v2, -v3, -lowest) << bit;
        }
        for (; bit < count; bit++) {
          const value = logits[start + bit] ?? NaN;
          sum0 += value;
          aboveBits |= +(value > highest) << bit;
          belowBits |= +(value < lowest) << bit;
        }
        above[row * wordsPerRow + word] = aboveBits;
        below[row * wordsPerRow + word] = belowBits;
        // Columns past the plane's edge (when S is not a multiple of 32) do not count.
        notBelow |= ~belowBits & (count === 32 ? -1 : (1 << count) - 1);
      }
      rowActive[row] = notBelow === 0 ? 0 : 1;
      anyActive ||= notBelow !== 0;
    }
    if (!Number.isFinite(sum0 + sum1 + sum2 + sum3)) {
      throw nonFiniteLogitError(firstNonFinite(logits, planeOffset, planeSize));
    }
    return anyActive;
  }

  /** Whether any of low-res rows [firstRow, lastRow] holds a logit not below the lowest threshold. */
  anyActive(firstRow: number, lastRow: number): boolean {
    for (let row = firstRow; row <= lastRow; row++) if (this.rowActive[row]) return true;
    return false;
  }

  /** Prepares classAt and runEnd for the outputs that read low-res rows [firstRow, lastRow]. */
  intersectRows(firstRow: number, lastRow: number): void {
    const { wordsPerRow, above, below, allAbove, allBelow, decided } = this;
    allAbove.fill(-1);
    allBelow.fill(-1);
    for (let row = firstRow; row <= lastRow; row++) {
      for (let word = 0; word < wordsPerRow; word++) {
        allAbove[word] = (allAbove[word] ?? 0) & (above[row * wordsPerRow + word] ?? 0);
        allBelow[word] = (allBelow[word] ?? 0) & (below[row * wordsPerRow + word] ?? 0);
      }
    }
    for (let word = 0; word < wordsPerRow; word++) {
      decided[word] = (allAbove[word] ?? 0) | (allBelow[word] ?? 0);
    }
  }

  /** The class of a low-res column over the intersected rows. */
  classAt(column: number): LogitClass {
    const word = column >> 5;
    const bit = 1 << (column & 31);
    if ((this.allAbove[word] ?? 0) & bit) return ABOVE;
    if ((this.allBelow[word] ?? 0) & bit) return BELOW;
    return MIXED;
  }

  /** The first column after `column` (of class `logitClass`) with another class; S at the end. */
  runEnd(column: number, logitClass: LogitClass): number {
    if (logitClass === ABOVE) return this.firstBit(this.allAbove, column, -1);
    if (logitClass === BELOW) return this.firstBit(this.allBelow, column, -1);
    return this.firstBit(this.decided, column, 0);
  }

  /** The first column ≥ `column` whose bit is set in words XOR `flip` (0 or −1); S when none. */
  private firstBit(words: Int32Array, column: number, flip: number): number {
    let word = column >> 5;
    let bits = ((words[word] ?? 0) ^ flip) & (-1 << (column & 31));
    while (bits === 0) {
      word++;
      if (word >= this.wordsPerRow) return this.size;
      bits = (words[word] ?? 0) ^ flip;
    }
    return Math.min(this.size, word * 32 + 31 - Math.clz32(bits & -bits));
  }
}
