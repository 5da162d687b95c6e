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
