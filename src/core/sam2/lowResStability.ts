import { firstNonFinite, nonFiniteLogitError } from './decoderOutputErrors';
import type { StabilityCounts } from './maskLogitScanner';

/**
 * The stability counts on the decoder's low-resolution logits themselves, S × S cells, without
 * upsampling: the fast path's filter (pipeline.md §6 welcomes it). It approximates the counts over
 * the H × W upsampled logits, where each cell weighs by the area it covers and edges blend.
 * Throws on a non-finite logit, like the exact path.
 */
export function lowResStabilityCounts(
  logits: Float32Array,
  planeOffset: number,
  planeSize: number,
  maskThreshold: number,
  stabilityOffset: number,
): StabilityCounts {
  const stable = maskThreshold + stabilityOffset;
  const loose = maskThreshold - stabilityOffset;
  const end = planeOffset + planeSize;
  let stableCount = 0;
  let looseCount = 0;
  // Finite float32 values cannot overflow a float64 sum, so a non-finite sum means a bad logit.
  // Four sums and branch-free counts keep the loop free of long dependency chains and mispredicts.
  let sum0 = 0;
  let sum1 = 0;
  let sum2 = 0;
  let sum3 = 0;
  let i = planeOffset;
  for (; i + 4 <= end; i += 4) {
    const v0 = logits[i] ?? NaN;
    const v1 = logits[i + 1] ?? NaN;
    const v2 = logits[i + 2] ?? NaN;
    const v3 = logits[i + 3] ?? NaN;
    sum0 += v0;
    sum1 += v1;
    sum2 += v2;
    sum3 += v3;
    stableCount += +(v0 > stable) + +(v1 > stable) + +(v2 > stable) + +(v3 > stable);
    looseCount += +(v0 > loose) + +(v1 > loose) + +(v2 > loose) + +(v3 > loose);
  }
  for (; i < end; i++) {
    const value = logits[i] ?? NaN;
    sum0 += value;
    stableCount += +(value > stable);
    looseCount += +(value > loose);
  }
  if (!Number.isFinite(sum0 + sum1 + sum2 + sum3)) {
    throw nonFiniteLogitError(firstNonFinite(logits, planeOffset, planeSize));
  }
  return { stableCount, looseCount };
}
