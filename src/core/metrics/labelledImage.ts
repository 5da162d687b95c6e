/**
 * One image's scores and ground truth, checked once before any metric reads them: same size,
 * finite scores, labels 0 (inlier), 1 (anomaly) or 255 (ignore). Errors name the image.
 */
import { InvalidInputError, ShapeMismatchError } from '../errors';
import { LABEL_ANOMALY, LABEL_IGNORE, LABEL_INLIER, type LabelMap, type ScoreMap } from '../types';
import { scoreKey } from './scoreKeys';

/** How many pixels of each kind an image has. */
export interface LabelCounts {
  /** Anomaly pixels (label 1). */
  positives: number;
  /** Inlier pixels (label 0). */
  negatives: number;
  /** Pixels labelled 255, left out of every metric. */
  ignored: number;
}

/** Checks an image and counts its labels; `image` names it in errors ("a.png", "image 3"). */
export function checkLabelledImage(
  scoreMap: ScoreMap,
  labelMap: LabelMap,
  image: string,
): LabelCounts {
  if (scoreMap.width !== labelMap.width || scoreMap.height !== labelMap.height) {
    throw new ShapeMismatchError(
      `${image}: the score map is ${scoreMap.width}×${scoreMap.height} but the ground truth is ` +
        `${labelMap.width}×${labelMap.height}; they must have the same size.`,
    );
  }
  const { data: scores } = scoreMap;
  const { data: labels, width } = labelMap;
  if (scores.length !== labels.length || scores.length !== width * labelMap.height) {
    throw new ShapeMismatchError(
      `${image}: the maps say ${width}×${labelMap.height} but hold ${scores.length} scores and ` +
        `${labels.length} labels.`,
    );
  }
  // Branch-free tallies: x·0 is NaN only for NaN and ±Inf; a label outside {0, 1, 255} makes
  // `unknown` non-zero. The slow search for the culprit runs only on failure.
  let poison = 0;
  let positives = 0;
  let ignored = 0;
  let unknown = 0;
  for (let i = 0; i < scores.length; i++) {
    const label = labels[i] as number;
    poison += (scores[i] as number) * 0;
    positives += Number(label === LABEL_ANOMALY);
    ignored += Number(label === LABEL_IGNORE);
    unknown |= Number(label !== LABEL_INLIER && label !== LABEL_ANOMALY && label !== LABEL_IGNORE);
  }
  if (unknown !== 0) {
    const pixel = labels.findIndex(
      (label) => label !== LABEL_INLIER && label !== LABEL_ANOMALY && label !== LABEL_IGNORE,
    );
    throw new InvalidInputError(
      `${image}: the ground truth has label ${labels[pixel]} at ${position(pixel, width)}; ` +
        'labels must be 0 (inlier), 1 (anomaly) or 255 (ignore).',
    );
  }
  if (poison !== 0) {
    const pixel = scores.findIndex((score) => !Number.isFinite(score));
    throw new InvalidInputError(
      `${image}: the score map has a non-finite score (${String(scores[pixel])}) at ` +
        `${position(pixel, width)}; scores must be finite numbers.`,
    );
  }
  return { positives, negatives: scores.length - positives - ignored, ignored };
}

/** A pixel index as the x, y a person can find in an image viewer. */
function position(pixel: number, width: number): string {
  return `x=${pixel % width}, y=${Math.floor(pixel / width)}`;
}

/** Score keys (scoreKeys) of anomaly and of inlier pixels, in pixel order; ignored pixels dropped. */
export function splitScoreKeysByLabel(
  scoreMap: ScoreMap,
  labelMap: LabelMap,
  counts: LabelCounts,
): { anomalyKeys: Uint32Array; inlierKeys: Uint32Array } {
  const anomalyKeys = new Uint32Array(counts.positives);
  const inlierKeys = new Uint32Array(counts.negatives);
  const { data: scores } = scoreMap;
  const bits = new Uint32Array(scores.buffer, scores.byteOffset, scores.length);
  const { data: labels } = labelMap;
  let anomalies = 0;
  let inliers = 0;
  for (let i = 0; i < scores.length; i++) {
    const label = labels[i] as number;
    if (label === LABEL_ANOMALY) anomalyKeys[anomalies++] = scoreKey(bits[i] as number);
    else if (label === LABEL_INLIER) inlierKeys[inliers++] = scoreKey(bits[i] as number);
  }
  return { anomalyKeys, inlierKeys };
}
