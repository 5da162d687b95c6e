/**
 * Component-level metrics as SegmentMeIfYouCan defines them (Chan et al. 2021; their
 * road-anomaly-benchmark): sIoU per ground-truth component, PPV per predicted component, and F1
 * over sIoU/PPV thresholds 0.25, 0.30 … 0.75, pooled over a set.
 *
 * Per image, at one score threshold: predicted anomaly = score passes the threshold and the pixel
 * is not ignored; components are 8-connected; predicted components under `minPredictedPixels`
 * are dropped and ground-truth components under `minGroundTruthPixels` become ignore; everything
 * is then counted inside the remaining region of interest (labels 0 and 1).
 *   sIoU(k) = |k ∩ P(k)| / |(k ∪ P(k)) \ A(k)|, P(k) the predicted components touching k, A(k)
 *             the pixels of the other ground-truth components;
 *   PPV(p)  = |p ∩ anomaly| / |p|.
 * Set level: TP(τ) = ground-truth components with sIoU ≥ τ, FN(τ) the others, FP(τ) = predicted
 * components with PPV < τ; F1(τ) = 2TP / (2TP + FN + FP); mean F1 over the 11 τ; sIoU and PPV
 * are means over all components of the set.
 */
import { LABEL_ANOMALY, LABEL_IGNORE, type LabelMap, type ScoreMap } from '../types';
import type { BinnedCounts } from './binnedCounts';
import { sigmoidThresholds } from './binnedThresholds';
import { connectedComponents } from './connectedComponents';

export interface ComponentSizeLimits {
  minPredictedPixels: number;
  minGroundTruthPixels: number;
}

/** The image size the benchmark's limits are meant for (its images are 2048 × 1024). */
export const SIZE_LIMITS_REFERENCE_PIXELS = 2048 * 1024;

/**
 * Limits for one image: the reference limits scaled by its area (at least 1 pixel), so that
 * images smaller than the benchmark's (the app's samples, thumbnails) drop proportionally small
 * components rather than all of them.
 */
export function limitsForImage(
  limits: ComponentSizeLimits,
  width: number,
  height: number,
): ComponentSizeLimits {
  const scale = (width * height) / SIZE_LIMITS_REFERENCE_PIXELS;
  return {
    minPredictedPixels: Math.max(1, Math.round(limits.minPredictedPixels * scale)),
    minGroundTruthPixels: Math.max(1, Math.round(limits.minGroundTruthPixels * scale)),
  };
}

/** The benchmark's defaults (its SegEval and AnomalyTrack configurations, 2048 × 1024 images). */
export const SMIYC_SIZE_LIMITS: ComponentSizeLimits = {
  minPredictedPixels: 500,
  minGroundTruthPixels: 100,
};

/** sIoU / PPV thresholds τ: numpy.linspace(0.25, 0.75, 11). */
export const COMPONENT_THRESHOLDS: readonly number[] = Array.from(
  { length: 11 },
  (_, i) => 0.25 + i * 0.05,
);

/**
 * The score threshold, on the binned sigmoid scale: a pixel is predicted anomalous iff
 * sigmoid(score) ≥ `sigmoidThreshold` (the pixel metrics' binned convention).
 */
export interface ComponentThreshold {
  sigmoidThreshold: number;
  /** The same threshold as a raw score, logit(sigmoidThreshold). */
  score: number;
}

/**
 * SegmentMeIfYouCan thresholds scores where the set's pixel F1 is highest. This picks that point
 * on the pooled binned curve: the threshold with the largest 2TP / (2TP + FP + FN), the lowest
 * threshold among equals.
 */
export function bestF1Threshold(counts: BinnedCounts): ComponentThreshold {
  const thresholds = sigmoidThresholds(counts.bins);
  let [truePositives, falsePositives] = [0, 0];
  let [bestF1, bestIndex] = [-1, 0];
  for (let i = counts.bins - 1; i >= 0; i--) {
    truePositives += counts.anomalies[i] as number;
    falsePositives += counts.inliers[i] as number;
    const denominator = truePositives + falsePositives + counts.positives;
    const f1 = denominator > 0 ? (2 * truePositives) / denominator : 0;
    if (f1 >= bestF1) [bestF1, bestIndex] = [f1, i];
  }
  const sigmoidThreshold = thresholds[bestIndex] as number;
  return { sigmoidThreshold, score: Math.log(sigmoidThreshold / (1 - sigmoidThreshold)) };
}

export interface ImageComponents {
  /** sIoU of each ground-truth component (in raster order). */
  sIoU: number[];
  /** PPV of each predicted component (in raster order). */
  ppv: number[];
}

export function imageComponents(
  scoreMap: ScoreMap,
  labelMap: LabelMap,
  threshold: ComponentThreshold,
  limits: ComponentSizeLimits = SMIYC_SIZE_LIMITS,
): ImageComponents {
  const { width, height } = scoreMap;
  const pixels = width * height;
  const labels = labelMap.data;
  const anomalyMask = new Uint8Array(pixels);
  const predictedMask = new Uint8Array(pixels);
  for (let i = 0; i < pixels; i++) {
    const label = labels[i] as number;
    anomalyMask[i] = label === LABEL_ANOMALY ? 1 : 0;
    const probability = 1 / (1 + Math.exp(-(scoreMap.data[i] as number)));
    predictedMask[i] = label !== LABEL_IGNORE && probability >= threshold.sigmoidThreshold ? 1 : 0;
  }
  const truth = connectedComponents(anomalyMask, width, height);
  const predicted = connectedComponents(predictedMask, width, height);

  // Per predicted component, inside the region of interest: its pixels, and those on anomalies;
  // per (predicted, ground-truth) pair: the pixels they share.
  const roiSize = new Float64Array(predicted.count + 1);
  const onAnomaly = new Float64Array(predicted.count + 1);
  const shared = new Map<number, Map<number, number>>();
  for (let i = 0; i < pixels; i++) {
    const component = truth.labels[i] as number;
    const inRoi =
      labels[i] !== LABEL_IGNORE &&
      (component === 0 || (truth.sizes[component] as number) >= limits.minGroundTruthPixels);
    const guess = predicted.labels[i] as number;
    if (!inRoi || guess === 0 || (predicted.sizes[guess] as number) < limits.minPredictedPixels) {
      continue;
    }
    roiSize[guess] = (roiSize[guess] as number) + 1;
    if (component === 0) continue;
    onAnomaly[guess] = (onAnomaly[guess] as number) + 1;
    const row = shared.get(component) ?? new Map<number, number>();
    row.set(guess, (row.get(guess) ?? 0) + 1);
    shared.set(component, row);
  }

  const sIoU: number[] = [];
  for (let component = 1; component <= truth.count; component++) {
    const size = truth.sizes[component] as number;
    if (size < limits.minGroundTruthPixels) continue;
    // |P(k) ∪ k| minus the other components' pixels in P(k): |k| plus, per touching predicted
    // component, its pixels off every anomaly.
    let intersection = 0;
    let union = size;
    for (const [guess, count] of shared.get(component) ?? []) {
      intersection += count;
      union += (roiSize[guess] as number) - (onAnomaly[guess] as number);
    }
    sIoU.push(intersection / union);
  }
  const ppv: number[] = [];
  for (let guess = 1; guess <= predicted.count; guess++) {
    const size = roiSize[guess] as number;
    if (size > 0) ppv.push((onAnomaly[guess] as number) / size);
  }
  return { sIoU, ppv };
}

export interface ComponentMetrics {
  threshold: ComponentThreshold;
  /** Means over all ground-truth / predicted components of the set (NaN when there are none). */
  sIoU: number;
  ppv: number;
  /** F1 averaged over the 11 thresholds τ, and at τ = 0.25, 0.5, 0.75. */
  meanF1: number;
  f1At25: number;
  f1At50: number;
  f1At75: number;
  groundTruthComponents: number;
  predictedComponents: number;
}

const mean = (values: readonly number[]) =>
  values.length === 0 ? NaN : values.reduce((sum, value) => sum + value, 0) / values.length;

/** Pools the components of a set (or of one image) into the benchmark's summary numbers. */
export function summariseComponents(
  images: readonly ImageComponents[],
  threshold: ComponentThreshold,
): ComponentMetrics {
  const sIoU = images.flatMap((image) => image.sIoU);
  const ppv = images.flatMap((image) => image.ppv);
  const f1 = COMPONENT_THRESHOLDS.map((tau) => {
    const truePositives = sIoU.filter((value) => value >= tau).length;
    const falseNegatives = sIoU.length - truePositives;
    const falsePositives = ppv.filter((value) => value < tau).length;
    const denominator = 2 * truePositives + falseNegatives + falsePositives;
    return denominator > 0 ? (2 * truePositives) / denominator : NaN;
  });
  return {
    threshold,
    sIoU: mean(sIoU),
    ppv: mean(ppv),
    meanF1: mean(f1),
    f1At25: f1[0] as number,
    f1At50: f1[5] as number,
    f1At75: f1[10] as number,
    groundTruthComponents: sIoU.length,
    predictedComponents: ppv.length,
  };
}

export interface ComponentReport {
  pooled: ComponentMetrics;
  perImage: (ComponentMetrics & { image: string })[];
  limits: ComponentSizeLimits;
}

/**
 * Component metrics of a set at its best-F1 threshold: `counts` are the set's pooled binned
 * counts (they fix the threshold), `images` yields its maps again, one at a time; `limits` are
 * for 2048 × 1024 images and scale with each image's area.
 */
export function componentReport(
  images: Iterable<{ image: string; scoreMap: ScoreMap; labelMap: LabelMap }>,
  counts: BinnedCounts,
  limits: ComponentSizeLimits = SMIYC_SIZE_LIMITS,
): ComponentReport {
  const threshold = bestF1Threshold(counts);
  const all: ImageComponents[] = [];
  const perImage: ComponentReport['perImage'] = [];
  for (const { image, scoreMap, labelMap } of images) {
    const imageLimits = limitsForImage(limits, scoreMap.width, scoreMap.height);
    const components = imageComponents(scoreMap, labelMap, threshold, imageLimits);
    all.push(components);
    perImage.push({ image, ...summariseComponents([components], threshold) });
  }
  return { pooled: summariseComponents(all, threshold), perImage, limits };
}
