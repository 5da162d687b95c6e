/**
 * One image's scores and ground truth, checked once before any metric reads them: same size,
 * finite scores, labels 0 (inlier), 1 (anomaly) or 255 (ignore). Errors name the image.
 */
import { requireFiniteScores, requireGroundTruthSize, requireValidLabels } from '../checks';
import { ShapeMismatchError } from '../errors';
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
  requireGroundTruthSize(
    { name: `${image}: the score map`, width: scoreMap.width, height: scoreMap.height },
    { name: 'the ground truth', width: labelMap.width, height: labelMap.height },
  );
  const { data: scores } = scoreMap;
  const { data: labels, width } = labelMap;
  if (scores.length !== labels.length || scores.length !== width * labelMap.height) {
    throw new ShapeMismatchError(
      `${image}: the maps say ${width}×${labelMap.height} but hold ${scores.length} scores and ` +
        `${labels.length} labels.`,
    );
  }
  requireValidLabels(labelMap, image);
  requireFiniteScores(scoreMap, image);
  // Branch-free tallies.
  let positives = 0;
  let ignored = 0;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as number;
    positives += Number(label === LABEL_ANOMALY);
    ignored += Number(label === LABEL_IGNORE);
  }
  return { positives, negatives: scores.length - positives - ignored, ignored };
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
