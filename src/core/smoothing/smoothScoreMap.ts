/**
 * Mask-based smoothing, FlowCLAS paper Algorithm 1 (pipeline.md §5), bit for bit with the numpy
 * reference: per mask, an N-bin numpy.histogram of its current values, the first fullest bin
 * [lo, hi), the float64 mean of the values with lo ≤ v < hi, and that mean (stored as float32)
 * written over every mask pixel outside [lo, hi].
 */
import type { PixelMask, ScoreMap } from '../types';
import { countIntoBins, equalWidthBins } from './equalWidthBins';
import { numpySum } from './numpySum';
import { requireFiniteScores } from '../checks';
import { validateBins, validateMasks } from './validateSmoothingInput';
import { DEFAULT_SMOOTHING_BINS } from '../defaults';

export { DEFAULT_SMOOTHING_BINS };

/** Scratch buffers reused across masks, so the per-pixel loops never allocate. */
interface SmoothingWorkspace {
  /** A mask's current values, then compacted to those inside the fullest bin (pixel order). */
  values: Float32Array;
  /** The pixels whose values lie outside the fullest bin, which receive the mean. */
  outsidePixels: Uint32Array;
  edges: Float64Array;
  counts: Uint32Array;
}

/** Algorithm 1 on a copy: returns the refined score map and leaves `scoreMap` untouched. */
export function smoothScoreMap(
  scoreMap: ScoreMap,
  masks: readonly PixelMask[],
  bins = DEFAULT_SMOOTHING_BINS,
): ScoreMap {
  const refinedScoreMap = { ...scoreMap, data: scoreMap.data.slice() };
  smoothScoreMapInPlace(refinedScoreMap, masks, bins);
  return refinedScoreMap;
}

/**
 * Algorithm 1 in place, masks in the given order (SAM 2's order, descending predicted IoU); each
 * mask sees the values earlier masks wrote. Inputs are validated first, so a rejected call
 * changes nothing.
 */
export function smoothScoreMapInPlace(
  scoreMap: ScoreMap,
  masks: readonly PixelMask[],
  bins = DEFAULT_SMOOTHING_BINS,
): void {
  validateBins(bins);
  validateMasks(scoreMap, masks);
  // NaN or ±Inf would make the histogram range meaningless.
  requireFiniteScores(scoreMap);
  const largestMask = masks.reduce((largest, mask) => Math.max(largest, mask.pixels.length), 0);
  const workspace: SmoothingWorkspace = {
    values: new Float32Array(largestMask),
    outsidePixels: new Uint32Array(largestMask),
    edges: new Float64Array(bins + 1),
    counts: new Uint32Array(bins),
  };
  for (const mask of masks) smoothMaskRegion(scoreMap.data, mask.pixels, bins, workspace);
}

/** One step of Algorithm 1: the pixels of one mask. */
function smoothMaskRegion(
  scores: Float32Array,
  pixels: Uint32Array,
  bins: number,
  workspace: SmoothingWorkspace,
): void {
  const size = pixels.length;
  if (size === 0) return;
  const { values, outsidePixels, counts } = workspace;

  // Gathering and the min/max scan are separate loops: V8 runs the pair several times faster
  // than one fused loop. Float32 holds the values exactly; all arithmetic is in float64.
  for (let i = 0; i < size; i++) values[i] = scores[pixels[i] as number] as number;
  let min = values[0] as number;
  let max = min;
  for (let i = 1; i < size; i++) {
    const value = values[i] as number;
    if (value < min) min = value;
    if (value > max) max = value;
  }

  const layout = equalWidthBins(min, max, bins, workspace.edges);
  counts.fill(0);
  countIntoBins(values, size, layout, counts);
  const fullestBin = firstArgmax(counts);
  const lo = layout.edges[fullestBin] as number;
  const hi = layout.edges[fullestBin + 1] as number;

  // Split into in-bin values (lo ≤ v < hi: the maximum is excluded even in the closed last bin,
  // as the reference does, §5 step 4) and outside pixels (v < lo or v > hi). Branch-free, because
  // bin membership is unpredictable from pixel to pixel: each slot is written unconditionally and
  // kept by advancing its count. Compacting `values` in place is safe (write index ≤ read index);
  // in-bin values stay in pixel order, the order numpy's boolean indexing yields.
  let inBinCount = 0;
  let outsideCount = 0;
  for (let i = 0; i < size; i++) {
    const value = values[i] as number;
    values[inBinCount] = value;
    outsidePixels[outsideCount] = pixels[i] as number;
    inBinCount += Number(value >= lo) & Number(value < hi);
    outsideCount += Number(value < lo) | Number(value > hi);
  }
  if (inBinCount === 0) return;
  // Summing float32 values in JS numbers is summing their exact float64 conversions.
  const mean = numpySum(values, inBinCount) / inBinCount;
  // Storing into the Float32Array rounds the float64 mean to nearest, like numpy's astype.
  for (let i = 0; i < outsideCount; i++) scores[outsidePixels[i] as number] = mean;
}

/** Index of the largest count; ties go to the lowest bin, like numpy.argmax. */
function firstArgmax(counts: Uint32Array): number {
  let best = 0;
  for (let i = 1; i < counts.length; i++) {
    if ((counts[i] as number) > (counts[best] as number)) best = i;
  }
  return best;
}
