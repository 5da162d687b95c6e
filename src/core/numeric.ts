/** Small numeric utilities shared by production code and tests. */

/** mulberry32: a small seeded generator of uniform floats in [0, 1), the same on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Largest absolute elementwise difference; a length mismatch or NaN counts as infinite. */
export function maxAbsDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let largest = 0;
  for (let i = 0; i < actual.length; i++) {
    const diff = Math.abs((actual[i] as number) - (expected[i] as number));
    if (!(diff <= largest)) largest = Number.isNaN(diff) ? Infinity : diff;
  }
  return largest;
}

const float32Scratch = new Float32Array(1);
const float32Bits = new Int32Array(float32Scratch.buffer);

/**
 * The largest float32 ≤ x (x itself when it is a float32; NaN for NaN). For every float32 v,
 * `v > x` equals `v > float32AtMost(x)`, so a float64 threshold can be applied in float32.
 */
export function float32AtMost(x: number): number {
  const nearest = Math.fround(x);
  if (!(nearest > x)) return nearest;
  if (nearest === 0) return -1.401298464324817e-45; // the float32 just below zero
  float32Scratch[0] = nearest;
  float32Bits[0] = (float32Bits[0] ?? 0) + (nearest > 0 ? -1 : 1);
  return float32Scratch[0] ?? NaN;
}

/** The smallest float32 ≥ x: for every float32 v, `v < x` equals `v < float32AtLeast(x)`. */
export function float32AtLeast(x: number): number {
  return -float32AtMost(-x);
}
