/**
 * Sums values in float64 in exactly the order `numpy.sum` / `numpy.mean` do, so a mean matches the
 * numpy reference bit for bit: numpy (before 2.3, which reorganised buffered iteration) reduces in
 * buffer-sized chunks of 8192 elements, adding each chunk's pairwise sum to a running total that
 * starts at 0. Any other order differs only in the last bits of the float64 mean.
 */
const NUMPY_BUFFER_SIZE = 8192;
const PAIRWISE_BLOCK_SIZE = 128;

/**
 * Sum of values[0 .. length) in numpy's order (chunked, pairwise). Float32 inputs are summed as
 * their exact float64 conversions, i.e. like numpy's sum of `values.astype(np.float64)`.
 */
export function numpySum(values: Float32Array | Float64Array, length: number): number {
  let total = 0;
  for (let start = 0; start < length; start += NUMPY_BUFFER_SIZE) {
    total += pairwiseSum(values, start, Math.min(NUMPY_BUFFER_SIZE, length - start));
  }
  return total;
}

/** numpy's pairwise_sum: 8 interleaved accumulators on blocks of ≤128, halving above that. */
function pairwiseSum(values: Float32Array | Float64Array, offset: number, count: number): number {
  if (count < 8) {
    let sum = 0;
    for (let i = offset; i < offset + count; i++) sum += values[i] as number;
    return sum;
  }
  if (count <= PAIRWISE_BLOCK_SIZE) {
    let r0 = values[offset] as number;
    let r1 = values[offset + 1] as number;
    let r2 = values[offset + 2] as number;
    let r3 = values[offset + 3] as number;
    let r4 = values[offset + 4] as number;
    let r5 = values[offset + 5] as number;
    let r6 = values[offset + 6] as number;
    let r7 = values[offset + 7] as number;
    const unrolledEnd = offset + count - (count % 8);
    let i = offset + 8;
    for (; i < unrolledEnd; i += 8) {
      r0 += values[i] as number;
      r1 += values[i + 1] as number;
      r2 += values[i + 2] as number;
      r3 += values[i + 3] as number;
      r4 += values[i + 4] as number;
      r5 += values[i + 5] as number;
      r6 += values[i + 6] as number;
      r7 += values[i + 7] as number;
    }
    let sum = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < offset + count; i++) sum += values[i] as number;
    return sum;
  }
  // Halve, keeping the first half a multiple of the unroll factor, as numpy does.
  let half = Math.floor(count / 2);
  half -= half % 8;
  return pairwiseSum(values, offset, half) + pairwiseSum(values, offset + half, count - half);
}
