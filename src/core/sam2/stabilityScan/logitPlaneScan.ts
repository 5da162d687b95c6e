/** An inclusive box [x0, y0, x1, y1]: the first and last mask column and row. */
export type InclusiveBox = [number, number, number, number];

/** The stability score's two counts. */
export interface StabilityCounts {
  /** count(logit > maskThreshold + offset) */
  stableCount: number;
  /** count(logit > maskThreshold − offset); 0 means the stability score is undefined. */
  looseCount: number;
}

/** What one pass over a candidate's upsampled logits yields (its runs: takeRuns). */
export interface MaskLogitScan extends StabilityCounts {
  /** count(logit > maskThreshold) */
  area: number;
  /** [0, 0, 0, 0] for an empty mask, as SAM's batched_mask_to_box. */
  box: InclusiveBox;
}

/** The three thresholds one scan compares every upsampled logit with. */
export interface ScanThresholds {
  /** maskThreshold + stabilityOffset */
  stable: number;
  /** maskThreshold − stabilityOffset */
  loose: number;
  mask: number;
}

export function scanThresholds(maskThreshold: number, stabilityOffset: number): ScanThresholds {
  return {
    stable: maskThreshold + stabilityOffset,
    loose: maskThreshold - stabilityOffset,
    mask: maskThreshold,
  };
}

/**
 * The stability scan's contract: one low-resolution S × S mask-logit plane in (at `planeOffset`
 * of a decoder output), its counts, mask runs and box on the image's H × W grid out, as if the
 * plane were upsampled with the shared per-axis rule (rows, then columns, float64) and compared
 * there. Every implementation gives the same numbers bit for bit, and throws on a non-finite logit
 * (a broken decoder run) rather than silently dropping the candidate.
 */
export interface LogitPlaneScan {
  readonly width: number;
  readonly height: number;
  readonly lowResSize: number;
  /** Whether the WebAssembly kernel runs (else the reference scan does). */
  readonly usesKernel: boolean;
  /**
   * Counts, area and box of the upsampled plane. With a stability offset of 0 this is just the
   * mask and its box.
   */
  scan(logits: Float32Array, planeOffset: number, thresholds: ScanThresholds): MaskLogitScan;
  /** The last scan's mask as row-major runs [start, end) of pixel indices, flattened. */
  takeRuns(): Uint32Array;
  /**
   * The fast path's stability counts on the plane's S × S low-res logits themselves, without
   * upsampling (pipeline.md §6 welcomes it).
   */
  lowResStabilityCounts(
    logits: Float32Array,
    planeOffset: number,
    thresholds: ScanThresholds,
  ): StabilityCounts;
}
