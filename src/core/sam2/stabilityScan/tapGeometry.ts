import type { AxisResampling } from '../../image/axisResampling';

/** Per output index, the first and last input it reads (taps are contiguous and monotone). */
export interface TapRange {
  first: Int32Array;
  last: Int32Array;
}

export function tapRanges(plan: AxisResampling): TapRange {
  const first = new Int32Array(plan.outLength);
  const last = new Int32Array(plan.outLength);
  for (let i = 0; i < plan.outLength; i++) {
    const begin = plan.offsets[i] ?? 0;
    const end = plan.offsets[i + 1] ?? 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let tap = begin; tap < end; tap++) {
      const index = plan.indices[tap] ?? 0;
      lo = Math.min(lo, index);
      hi = Math.max(hi, index);
    }
    first[i] = lo;
    last[i] = hi;
  }
  return { first, last };
}

/**
 * The outputs that read only inputs inside [a, b] are the outputs from `firstFrom[a]` to
 * `lastUpTo[b]` (empty when the first exceeds the last): first and last taps grow with the output.
 */
export interface InnerOutputs {
  /** Per input a, the first output whose first tap is ≥ a (outLength when none). */
  firstFrom: Int32Array;
  /** Per input b, the last output whose last tap is ≤ b (−1 when none). */
  lastUpTo: Int32Array;
}

export function innerOutputs(taps: TapRange, inLength: number): InnerOutputs {
  const outLength = taps.first.length;
  const firstFrom = new Int32Array(inLength);
  const lastUpTo = new Int32Array(inLength);
  let output = 0;
  for (let input = 0; input < inLength; input++) {
    while (output < outLength && (taps.first[output] ?? 0) < input) output++;
    firstFrom[input] = output;
  }
  output = outLength - 1;
  for (let input = inLength - 1; input >= 0; input--) {
    while (output >= 0 && (taps.last[output] ?? 0) > input) output--;
    lastUpTo[input] = output;
  }
  return { firstFrom, lastUpTo };
}
