import { InvalidInputError } from '../errors';

/**
 * Resampling weights for one axis, precomputed once per (inLength, outLength) and reused for
 * every row, channel and mask. Output i is the weighted sum of the inputs
 * `indices[offsets[i] .. offsets[i + 1])` with the matching `weights` (a CSR layout, so the hot
 * loops never allocate).
 */
export interface AxisResampling {
  inLength: number;
  outLength: number;
  /** outLength + 1 entries. */
  offsets: Int32Array;
  indices: Int32Array;
  weights: Float64Array;
}

/**
 * The shared per-axis rule of docs/bundle-format.md: shorter output → area averaging over the
 * adaptive-average-pool windows [floor(i·in/out), ceil((i+1)·in/out)); longer output → linear with
 * half-pixel centres (align_corners = false, source clamped to [0, in − 1]); equal → identity.
 */
export function planAxisResampling(inLength: number, outLength: number): AxisResampling {
  requireLength(inLength, 'input');
  requireLength(outLength, 'output');
  if (outLength < inLength) return planAreaAveraging(inLength, outLength);
  if (outLength > inLength) return planLinear(inLength, outLength);
  return planIdentity(inLength);
}

/**
 * A plan whose outputs read at most two inputs, as flat pairs: output i is
 * `firstWeight[i]·in[first[i]] + secondWeight[i]·in[second[i]]`, a lone tap paired with itself at
 * weight 0 (which adds an exact 0, so sums equal the plan's own in tap order).
 */
export interface TapPairs {
  first: Int32Array;
  second: Int32Array;
  firstWeight: Float64Array;
  secondWeight: Float64Array;
}

/** The plan as tap pairs when no output has more than two taps, else null. */
export function tapPairs(plan: AxisResampling): TapPairs | null {
  const { offsets, indices, weights, outLength } = plan;
  const pairs: TapPairs = {
    first: new Int32Array(outLength),
    second: new Int32Array(outLength),
    firstWeight: new Float64Array(outLength),
    secondWeight: new Float64Array(outLength),
  };
  for (let i = 0; i < outLength; i++) {
    const start = offsets[i] ?? 0;
    const taps = (offsets[i + 1] ?? 0) - start;
    if (taps > 2) return null;
    pairs.first[i] = indices[start] ?? 0;
    pairs.firstWeight[i] = weights[start] ?? 0;
    pairs.second[i] = taps === 2 ? (indices[start + 1] ?? 0) : (indices[start] ?? 0);
    pairs.secondWeight[i] = taps === 2 ? (weights[start + 1] ?? 0) : 0;
  }
  return pairs;
}

/** Output entries [start, end) of a plan, e.g. the un-padded part of an upsampled grid. */
export function sliceAxisResampling(
  plan: AxisResampling,
  start: number,
  end: number,
): AxisResampling {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > plan.outLength) {
    throw new InvalidInputError(
      `Cannot take outputs ${start}..${end} of a resampling with ${plan.outLength} outputs.`,
    );
  }
  if (end <= start) {
    throw new InvalidInputError(`An axis slice needs at least one output (got ${start}..${end}).`);
  }
  const first = plan.offsets[start] ?? 0;
  const last = plan.offsets[end] ?? 0;
  const offsets = new Int32Array(end - start + 1);
  for (let i = 0; i <= end - start; i++) offsets[i] = (plan.offsets[start + i] ?? 0) - first;
  return {
    inLength: plan.inLength,
    outLength: end - start,
    offsets,
    indices: plan.indices.slice(first, last),
    weights: plan.weights.slice(first, last),
  };
}

// Window bounds in integer arithmetic, as PyTorch's adaptive_avg_pool computes them.
function planAreaAveraging(inLength: number, outLength: number): AxisResampling {
  const offsets = new Int32Array(outLength + 1);
  const starts = new Int32Array(outLength);
  const ends = new Int32Array(outLength);
  for (let i = 0; i < outLength; i++) {
    starts[i] = Math.floor((i * inLength) / outLength);
    ends[i] = Math.floor(((i + 1) * inLength + outLength - 1) / outLength);
    offsets[i + 1] = (offsets[i] ?? 0) + (ends[i] ?? 0) - (starts[i] ?? 0);
  }
  const tapCount = offsets[outLength] ?? 0;
  const indices = new Int32Array(tapCount);
  const weights = new Float64Array(tapCount);
  for (let i = 0; i < outLength; i++) {
    const start = starts[i] ?? 0;
    const end = ends[i] ?? 0;
    const weight = 1 / (end - start);
    let tap = offsets[i] ?? 0;
    for (let source = start; source < end; source++, tap++) {
      indices[tap] = source;
      weights[tap] = weight;
    }
  }
  return { inLength, outLength, offsets, indices, weights };
}

// align_corners = false: src = (dst + 0.5)·in/out − 0.5, negative sources clamp to 0 and the
// right neighbour clamps to the last input, as in PyTorch's upsample_linear.
function planLinear(inLength: number, outLength: number): AxisResampling {
  const scale = inLength / outLength;
  const offsets = new Int32Array(outLength + 1);
  const indices = new Int32Array(outLength * 2);
  const weights = new Float64Array(outLength * 2);
  let tap = 0;
  for (let i = 0; i < outLength; i++) {
    const source = Math.max((i + 0.5) * scale - 0.5, 0);
    const left = Math.min(Math.floor(source), inLength - 1);
    const right = Math.min(left + 1, inLength - 1);
    const rightWeight = source - left;
    // A zero weight would still read (and propagate NaN from) a neighbour that does not count.
    if (right === left || rightWeight === 0) {
      indices[tap] = left;
      weights[tap] = 1;
      tap += 1;
    } else {
      indices[tap] = left;
      weights[tap] = 1 - rightWeight;
      indices[tap + 1] = right;
      weights[tap + 1] = rightWeight;
      tap += 2;
    }
    offsets[i + 1] = tap;
  }
  return {
    inLength,
    outLength,
    offsets,
    indices: indices.slice(0, tap),
    weights: weights.slice(0, tap),
  };
}

function planIdentity(length: number): AxisResampling {
  const offsets = new Int32Array(length + 1);
  const indices = new Int32Array(length);
  for (let i = 0; i < length; i++) {
    offsets[i + 1] = i + 1;
    indices[i] = i;
  }
  return {
    inLength: length,
    outLength: length,
    offsets,
    indices,
    weights: new Float64Array(length).fill(1),
  };
}

function requireLength(length: number, which: string): void {
  if (!Number.isInteger(length) || length < 1) {
    throw new InvalidInputError(
      `A resampling ${which} length must be a positive integer (got ${length}).`,
    );
  }
}
