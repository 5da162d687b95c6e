/**
 * Score histograms for display, with numpy.histogram's bins (equal width, half-open except the
 * last, which is closed).
 *
 * Range: a fixed [lo, hi], or 'auto' for the scores' own [min, max] (widened by ±0.5 when all
 * scores are equal, [0, 1] for an empty map, as numpy does). With a fixed range, scores outside it
 * are not binned but counted in `below` and `above`: clamping them into the end bins would draw a
 * spike that is not in the data.
 * Labels: when given, `inlierCounts` and `anomalyCounts` split the binned pixels by ground truth;
 * label-255 pixels appear only in `counts`.
 */
import { requireFiniteScores } from '../checks';
import { InvalidInputError } from '../errors';
import { binIndex, equalWidthBins } from '../smoothing/equalWidthBins';
import { LABEL_ANOMALY, LABEL_INLIER, type LabelMap, type ScoreMap } from '../types';
import { checkLabelledImage } from './labelledImage';

export interface ScoreHistogramOptions {
  bins: number;
  range: readonly [number, number] | 'auto';
  labels?: LabelMap;
  /** Names the image in error messages. */
  imageName?: string;
}

export interface ScoreHistogram {
  /** bins + 1 edges. */
  edges: Float64Array;
  /** Pixels per bin, whatever their label. */
  counts: Uint32Array;
  /** Pixels below / above a fixed range (never binned); 0 for 'auto'. */
  below: number;
  above: number;
  inlierCounts?: Uint32Array;
  anomalyCounts?: Uint32Array;
}

/** numpy.histogram counts of a score map, optionally split by ground truth (see the module note). */
export function scoreHistogram(scoreMap: ScoreMap, options: ScoreHistogramOptions): ScoreHistogram {
  const { bins, labels, imageName = 'the image' } = options;
  if (!Number.isInteger(bins) || bins < 1) {
    throw new InvalidInputError(
      `A histogram needs a whole number of bins (1 or more); got ${String(bins)}.`,
    );
  }
  if (labels) checkLabelledImage(scoreMap, labels, imageName);
  else requireFiniteScores(scoreMap, imageName);
  const [lo, hi] = options.range === 'auto' ? scoreRange(scoreMap.data) : checkRange(options.range);
  const layout = equalWidthBins(lo, hi, bins);

  const counts = new Uint32Array(bins);
  const inlierCounts = labels ? new Uint32Array(bins) : undefined;
  const anomalyCounts = labels ? new Uint32Array(bins) : undefined;
  let below = 0;
  let above = 0;
  const { data: scores } = scoreMap;
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i] as number;
    if (score < layout.first) below++;
    else if (score > layout.last) above++;
    else {
      const bin = binIndex(score, layout);
      counts[bin] = (counts[bin] as number) + 1;
      const label = labels?.data[i];
      if (label === LABEL_INLIER && inlierCounts)
        inlierCounts[bin] = (inlierCounts[bin] as number) + 1;
      if (label === LABEL_ANOMALY && anomalyCounts)
        anomalyCounts[bin] = (anomalyCounts[bin] as number) + 1;
    }
  }
  return {
    edges: layout.edges,
    counts,
    below,
    above,
    ...(labels ? { inlierCounts, anomalyCounts } : {}),
  };
}

/** The scores' [min, max]; numpy's [0, 1] for an empty map. */
function scoreRange(scores: Float32Array): [number, number] {
  if (scores.length === 0) return [0, 1];
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i] as number;
    if (score < min) min = score;
    if (score > max) max = score;
  }
  return [min, max];
}

/** A fixed range as numpy accepts it: finite, lo ≤ hi (lo = hi is widened later, like numpy). */
function checkRange([lo, hi]: readonly [number, number]): [number, number] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) {
    throw new InvalidInputError(
      `A histogram range must be two finite numbers with lo ≤ hi; got [${lo}, ${hi}].`,
    );
  }
  return [lo, hi];
}
