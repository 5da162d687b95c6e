/**
 * Exact-mode scores as order-preserving 32-bit keys: key(a) < key(b) ⇔ a < b and key(a) = key(b)
 * ⇔ a = b for finite float32 scores (−0 is mapped to +0's key, as the two are one threshold).
 * Keys sort by radix and compare as plain integers, which is what makes exact mode fast.
 */
const SIGN_BIT = 0x80000000;

/** Key of a float32 bit pattern: flip all bits of negatives, set the sign bit of positives. */
export function scoreKey(bits: number): number {
  if (bits === SIGN_BIT) return SIGN_BIT; // −0 → +0
  return (bits & SIGN_BIT ? ~bits : bits | SIGN_BIT) >>> 0;
}

const RADIX_BITS = 11;
const RADIX = 1 << RADIX_BITS;
const DIGIT_MASK = RADIX - 1;
const PASSES = 3; // 3 × 11 bits ≥ 32

/**
 * Keys in ascending order, by LSD radix sort (linear time; several times faster than a
 * comparison sort on millions of pixels). Returns a new array; `keys` is left as it was.
 */
export function sortKeysAscending(keys: Uint32Array): Uint32Array {
  const count = keys.length;
  const histograms = new Uint32Array(RADIX * PASSES);
  for (let i = 0; i < count; i++) {
    const key = keys[i] as number;
    const low = key & DIGIT_MASK;
    const middle = RADIX + ((key >>> RADIX_BITS) & DIGIT_MASK);
    const high = 2 * RADIX + (key >>> (2 * RADIX_BITS));
    histograms[low] = (histograms[low] as number) + 1;
    histograms[middle] = (histograms[middle] as number) + 1;
    histograms[high] = (histograms[high] as number) + 1;
  }
  let from: Uint32Array = keys;
  let to: Uint32Array = new Uint32Array(count);
  // The first pass reads the caller's array; later passes ping-pong between two own buffers.
  let spare: Uint32Array | undefined;
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
      const key = from[i] as number;
      const slot = base + ((key >>> shift) & DIGIT_MASK);
      const target = histograms[slot] as number;
      to[target] = key;
      histograms[slot] = target + 1;
    }
    const written = to;
    to = from === keys ? (spare ??= new Uint32Array(count)) : from;
    from = written;
  }
  return from;
}
