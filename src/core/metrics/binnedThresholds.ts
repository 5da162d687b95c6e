/**
 * Binned thresholds (paper supplementary §7.1, pipeline.md §7): scores mapped to [0, 1] with the
 * sigmoid (in float64), thresholds linspace(0, 1, N), pixel positive iff sigmoid(score) ≥ t.
 * Only per-threshold counts are kept, so memory does not grow with the number of pixels.
 */
import { DEFAULT_BINNED_THRESHOLDS } from '../defaults';
import { LABEL_ANOMALY, LABEL_INLIER, type LabelMap, type ScoreMap } from '../types';

export { DEFAULT_BINNED_THRESHOLDS };

/** numpy.linspace(0, 1, count) in float64: i·(1/(count − 1)), the last one exactly 1. */
export function sigmoidThresholds(count: number): Float64Array {
  const thresholds = new Float64Array(count);
  const step = 1 / (count - 1);
  for (let i = 0; i < count - 1; i++) thresholds[i] = i * step;
  thresholds[count - 1] = 1;
  return thresholds;
}

/**
 * Adds every labelled pixel to the count of the highest threshold it passes (anomaly or inlier
 * counts by label; ignored pixels skipped). Inputs must have passed checkLabelledImage.
 */
export function countPassedThresholds(
  scoreMap: ScoreMap,
  labelMap: LabelMap,
  thresholds: Float64Array,
  anomalyCounts: Float64Array,
  inlierCounts: Float64Array,
): void {
  const { data: scores } = scoreMap;
  const { data: labels } = labelMap;
  for (let i = 0; i < scores.length; i++) {
    const label = labels[i] as number;
    if (label !== LABEL_ANOMALY && label !== LABEL_INLIER) continue;
    const probability = 1 / (1 + Math.exp(-(scores[i] as number)));
    const index = highestPassedThreshold(probability, thresholds);
    if (label === LABEL_ANOMALY) anomalyCounts[index] = (anomalyCounts[index] as number) + 1;
    else inlierCounts[index] = (inlierCounts[index] as number) + 1;
  }
}

/** Index of the highest threshold t with probability ≥ t (probability in [0, 1]). */
export function highestPassedThreshold(probability: number, thresholds: Float64Array): number {
  const last = thresholds.length - 1;
  // The product estimates the index; within a few ulps of a threshold it can be one off either
  // way, so one step against the actual thresholds makes it exact.
  let index = Math.min(Math.trunc(probability * last), last);
  if ((thresholds[index] as number) > probability) index -= 1;
  else if (index < last && (thresholds[index + 1] as number) <= probability) index += 1;
  return index;
}
