/**
 * Equal-width histogram bins exactly as `numpy.histogram(values, bins=N)` builds and fills them,
 * so that code ported from the FlowCLAS reference lands every value in the same bin.
 */

/** N bins over [first, last] with numpy's float64 edges. */
export interface EqualWidthBins {
  bins: number;
  first: number;
  last: number;
  /** bins + 1 edges, numpy.linspace(first, last, bins + 1). */
  edges: Float64Array;
  /** bins / (last - first): numpy's factor from a value to its fractional bin position. */
  norm: number;
}

/**
 * numpy's bins for data in [min, max] (or a fixed range): the range is widened by ±0.5 when it is
 * empty, edges come from linspace. `edges` is reused when given (length bins + 1).
 */
export function equalWidthBins(
  min: number,
  max: number,
  bins: number,
  edges: Float64Array = new Float64Array(bins + 1),
): EqualWidthBins {
  const [first, last] = min === max ? [min - 0.5, max + 0.5] : [min, max];
  fillLinspaceEdges(first, last, bins, edges);
  return { bins, first, last, edges, norm: bins / (last - first) };
}

/**
 * numpy.linspace(first, last, bins + 1) in float64: edge i is i·step + first and the last edge is
 * `last` itself (not first + bins·step, which can differ by rounding).
 */
function fillLinspaceEdges(first: number, last: number, bins: number, edges: Float64Array): void {
  const delta = last - first;
  const step = delta / bins;
  // numpy's branch for a step that underflows to zero (denormal ranges).
  if (step === 0) {
    for (let i = 0; i < bins; i++) edges[i] = (i / bins) * delta + first;
  } else {
    for (let i = 0; i < bins; i++) edges[i] = i * step + first;
  }
  edges[bins] = last;
}

/**
 * numpy.histogram's bin for a value in [first, last]: bins are half-open [e_i, e_i+1) except the
 * last, which is closed. The index comes from arithmetic and is then corrected by one against the
 * actual edges, because the product can land a bin off near an edge.
 */
export function binIndex(value: number, layout: EqualWidthBins): number {
  const { bins, edges } = layout;
  let index = Math.trunc((value - layout.first) * layout.norm);
  if (index === bins) index -= 1;
  if (value < (edges[index] as number)) index -= 1;
  else if (index !== bins - 1 && value >= (edges[index + 1] as number)) index += 1;
  return index;
}

/**
 * numpy.histogram counts of values[0 .. length), all inside [first, last], added into `counts`.
 * Same result as binIndex for every value, faster: the edge correction can only change the index
 * of a value whose fractional bin position lies within `nearEdge` of a whole number, so only those
 * values pay for the comparisons against the edges. This loop is the hot path of mask smoothing.
 */
export function countIntoBins(
  values: Float32Array,
  length: number,
  layout: EqualWidthBins,
  counts: Uint32Array,
): void {
  const { bins, edges, first, norm } = layout;
  const lastBin = bins - 1;
  // |fraction − ½| > ½ − nearEdge ⇔ fraction within nearEdge of 0 or 1 (one test; V8 runs it
  // faster than two). A tolerance of ½ or more sends every value through the exact path.
  const nearEdge = nearEdgeTolerance(layout);
  const middleLimit = nearEdge < 0.5 ? 0.5 - nearEdge : -1;
  for (let i = 0; i < length; i++) {
    const value = values[i] as number;
    const position = (value - first) * norm;
    let index = Math.trunc(position);
    if (Math.abs(position - index - 0.5) > middleLimit) {
      if (index === bins) index = lastBin;
      if (value < (edges[index] as number)) index -= 1;
      else if (index !== lastBin && value >= (edges[index + 1] as number)) index += 1;
    }
    counts[index] = (counts[index] as number) + 1;
  }
}

/**
 * A bound, in bin units, on how far the computed position (v − first)·norm and the linspace edges
 * can sit from their exact values: rounding gives ≤ 4u·N for the position and ≤ 3u·N + u·N·A/R for
 * an edge (u = 2⁻⁵³, A = max(|first|, |last|), R = last − first). We use twice the sum, which
 * also covers the rounding of the guard's own arithmetic.
 */
function nearEdgeTolerance({ bins, first, last }: EqualWidthBins): number {
  const magnitude = Math.max(Math.abs(first), Math.abs(last));
  return 8 * Number.EPSILON * bins * (1 + magnitude / (last - first));
}
