import { requireFinite } from '../../checks';
import { nonFiniteLogitError } from '../decoderOutputErrors';
import type { ScanThresholds, StabilityCounts } from './logitPlaneScan';

/**
 * The stability counts on the decoder's low-resolution logits themselves, S × S cells, without
 * upsampling: the fast path's filter (pipeline.md §6 welcomes it), written plainly (the kernel's
 * stabilityCounts is tested against it). It approximates the counts over the H × W upsampled
 * logits, where each cell weighs by the area it covers and edges blend. Throws on a non-finite
 * logit, like the exact path.
 */
export function lowResStabilityCounts(
  logits: Float32Array,
  planeOffset: number,
  planeSize: number,
  { stable, loose }: ScanThresholds,
): StabilityCounts {
  const end = planeOffset + planeSize;
  requireFinite(logits, nonFiniteLogitError, planeOffset, end);
  let stableCount = 0;
  let looseCount = 0;
  for (let i = planeOffset; i < end; i++) {
    const value = logits[i] as number;
    stableCount += +(value > stable);
    looseCount += +(value > loose);
  }
  return { stableCount, looseCount };
}
