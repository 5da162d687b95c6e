import { firstNonFinite, nonFiniteLogitError } from '../decoderOutputErrors';
import { KERNEL_ANY_ACTIVE, KERNEL_NON_FINITE, type MaskLogitKernel } from './maskLogitKernel';

/** What every logit an upsampled output reads says about that output. */
export const ABOVE = 2;
export const BELOW = 0;
export const MIXED = 1;
export type LogitClass = typeof ABOVE | typeof BELOW | typeof MIXED;

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
  /** The WebAssembly kernel that classifies; its memory holds the bitsets. */
  private readonly kernel: MaskLogitKernel;

  constructor(size: number, kernel: MaskLogitKernel) {
    this.size = size;
    this.wordsPerRow = Math.ceil(size / 32);
    this.kernel = kernel;
    this.above = kernel.above;
    this.below = kernel.below;
    this.rowActive = kernel.rowActive;
    this.allAbove = new Int32Array(this.wordsPerRow);
    this.allBelow = new Int32Array(this.wordsPerRow);
    this.decided = new Int32Array(this.wordsPerRow);
  }

  /**
   * Classifies the plane at planeOffset; false when every logit is below `lowest` (nothing to
   * scan). Every logit is visited, so this is also where non-finite logits are caught.
   */
  classify(logits: Float32Array, planeOffset: number, lowest: number, highest: number): boolean {
    const flags = this.kernel.classify(logits, planeOffset, lowest, highest);
    if (flags & KERNEL_NON_FINITE) {
      throw nonFiniteLogitError(firstNonFinite(logits, planeOffset, this.size * this.size));
    }
    return (flags & KERNEL_ANY_ACTIVE) !== 0;
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
