/**
 * Ascending sort of float32 scores by LSD radix sort on their bit patterns: linear time, several
 * times faster than Float32Array.prototype.sort on millions of pixels. NaN never reaches here
 * (scores are checked first); −0 sorts just below +0, and the curve walk treats them as equal.
 */
const RADIX_BITS = 11;
const RADIX = 1 << RADIX_BITS;
const DIGIT_MASK = RADIX - 1;
const PASSES = 3; // 3 × 11 bits ≥ 32

/** A sorted copy of `scores`, ascending; the input is left as it was. */
export function sortScoresAscending(scores: Float32Array): Float32Array {
  const count = scores.length;
  let keys = new Uint32Array(count);
  let scratch = new Uint32Array(count);
  const bits = new Uint32Array(scores.buffer, scores.byteOffset, count);
  const histograms = new Uint32Array(RADIX * PASSES);
  for (let i = 0; i < count; i++) {
    // Order-preserving key: flip all bits of negatives, only the sign bit of positives.
    const word = bits[i] as number;
    const key = (word & 0x80000000 ? ~word : word | 0x80000000) >>> 0;
    keys[i] = key;
    const low = key & DIGIT_MASK;
    const middle = RADIX + ((key >>> RADIX_BITS) & DIGIT_MASK);
    const high = 2 * RADIX + (key >>> (2 * RADIX_BITS));
    histograms[low] = (histograms[low] as number) + 1;
    histograms[middle] = (histograms[middle] as number) + 1;
    histograms[high] = (histograms[high] as number) + 1;
  }
  for (let pass = 0; pass < PASSES; pass++) {
    const base = pass * RADIX;
    let start = 0;
    for (let digit = 0; digit < RADIX; digit++) {
      const size = histograms[base + digit] as number;
      histograms[base + digit] = start;
      start += size;
    }
    const shift = pass * RADIX_BITS;
    for (let i = 0; i < count; i++) {
      const key = keys[i] as number;
      const slot = base + ((key >>> shift) & DIGIT_MASK);
      const target = histograms[slot] as number;
      scratch[target] = key;
      histograms[slot] = target + 1;
    }
    [keys, scratch] = [scratch, keys];
  }
  for (let i = 0; i < count; i++) {
    const key = keys[i] as number;
    keys[i] = (key & 0x80000000 ? key & 0x7fffffff : ~key) >>> 0;
  }
  return new Float32Array(keys.buffer);
}
