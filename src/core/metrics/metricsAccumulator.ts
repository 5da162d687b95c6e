/**
 * Streaming pixel metrics over a set of images (pipeline.md §7): per-image values as each image
 * is added, and pooled values over all pixels of all images (not an average of images).
 */
import { InvalidInputError } from '../errors';
import type { LabelMap, ScoreMap } from '../types';
import {
  DEFAULT_BINNED_THRESHOLDS,
  countPassedThresholds,
  sigmoidThresholds,
} from './binnedThresholds';
import { binnedCountsMetrics, type BinnedCounts } from './binnedCounts';
import { visitBinnedCurve, visitExactCurve } from './curvePoints';
import { checkLabelledImage, splitScoreKeysByLabel, type LabelCounts } from './labelledImage';
import { pixelMetrics, type PixelMetrics } from './pixelMetrics';
import { sortKeysAscending } from './scoreKeys';

/**
 * `exact`: every distinct score is a threshold (keeps 4 bytes per labelled pixel for the pooled
 * curve).
 * `binned`: sigmoid scores against `bins` thresholds linspace(0, 1, bins), default 5000; keeps only
 * per-threshold counts, so memory does not grow with the set.
 */
export type MetricsOptions = { mode: 'exact' } | { mode: 'binned'; bins?: number };

export interface ImageMetrics extends PixelMetrics {
  /** The name given to add(), or "image N" (1-based). */
  image: string;
}

export interface MetricsReport {
  mode: 'exact' | 'binned';
  /** Number of binned thresholds; absent in exact mode. */
  bins?: number;
  perImage: ImageMetrics[];
  pooled: PixelMetrics;
}

export interface MetricsAccumulator {
  /** Adds one image; returns its own metrics. Throws, naming the image, on invalid input. */
  add(scoreMap: ScoreMap, labelMap: LabelMap, imageName?: string): ImageMetrics;
  /** Per-image and pooled metrics of everything added so far; adding may continue afterwards. */
  result(): MetricsReport;
  /** Binned mode: a copy of the pooled counts, to save and pool with other runs; else undefined. */
  binnedCounts(): BinnedCounts | undefined;
}

/** Pooled state of one mode: absorbs an image, yields its own metrics and the pooled ones. */
interface PooledCurve {
  add(scoreMap: ScoreMap, labelMap: LabelMap, counts: LabelCounts): PixelMetrics;
  pooled(counts: LabelCounts): PixelMetrics;
  binnedCounts?(counts: LabelCounts): BinnedCounts;
}

/** A new accumulator; binned mode rejects a bad threshold count here, before any image. */
export function createMetricsAccumulator(options: MetricsOptions): MetricsAccumulator {
  const bins = options.mode === 'binned' ? (options.bins ?? DEFAULT_BINNED_THRESHOLDS) : undefined;
  const curve = bins === undefined ? createExactCurve() : createBinnedCurve(bins);
  const perImage: ImageMetrics[] = [];
  const totals: LabelCounts = { positives: 0, negatives: 0, ignored: 0 };
  return {
    add(scoreMap, labelMap, imageName) {
      const image = imageName ?? `image ${perImage.length + 1}`;
      const counts = checkLabelledImage(scoreMap, labelMap, image);
      const metrics = { image, ...curve.add(scoreMap, labelMap, counts) };
      totals.positives += counts.positives;
      totals.negatives += counts.negatives;
      totals.ignored += counts.ignored;
      perImage.push(metrics);
      return metrics;
    },
    result() {
      return {
        mode: options.mode,
        ...(bins === undefined ? {} : { bins }),
        perImage: [...perImage],
        pooled: curve.pooled({ ...totals }),
      };
    },
    binnedCounts: () => curve.binnedCounts?.({ ...totals }),
  };
}

/** Exact mode: each image's labelled score keys, sorted; pooled by sorting them all together. */
function createExactCurve(): PooledCurve {
  const anomalyParts: Uint32Array[] = [];
  const inlierParts: Uint32Array[] = [];
  return {
    add(scoreMap, labelMap, counts) {
      const { anomalyKeys, inlierKeys } = splitScoreKeysByLabel(scoreMap, labelMap, counts);
      const sortedAnomalies = sortKeysAscending(anomalyKeys);
      const sortedInliers = sortKeysAscending(inlierKeys);
      anomalyParts.push(sortedAnomalies);
      inlierParts.push(sortedInliers);
      return pixelMetrics(counts, (sinks) =>
        visitExactCurve(sortedAnomalies, sortedInliers, sinks),
      );
    },
    pooled(counts) {
      return pixelMetrics(counts, (sinks) =>
        visitExactCurve(
          sortKeysAscending(concatenate(anomalyParts, counts.positives)),
          sortKeysAscending(concatenate(inlierParts, counts.negatives)),
          sinks,
        ),
      );
    },
  };
}

/** The parts one after another in a single array of the given total length. */
function concatenate(parts: readonly Uint32Array[], length: number): Uint32Array {
  const joined = new Uint32Array(length);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}

/** Binned mode: per-threshold counts per image, summed into pooled counts. */
function createBinnedCurve(bins: number): PooledCurve {
  if (!Number.isInteger(bins) || bins < 2) {
    throw new InvalidInputError(
      `Binned metrics need a whole number of thresholds, at least 2; got ${String(bins)}.`,
    );
  }
  const thresholds = sigmoidThresholds(bins);
  const pooledAnomalies = new Float64Array(bins);
  const pooledInliers = new Float64Array(bins);
  const imageAnomalies = new Float64Array(bins);
  const imageInliers = new Float64Array(bins);
  const pooledCounts = (counts: LabelCounts): BinnedCounts => ({
    bins,
    anomalies: Float64Array.from(pooledAnomalies),
    inliers: Float64Array.from(pooledInliers),
    ...counts,
  });
  return {
    add(scoreMap, labelMap, counts) {
      imageAnomalies.fill(0);
      imageInliers.fill(0);
      countPassedThresholds(scoreMap, labelMap, thresholds, imageAnomalies, imageInliers);
      for (let i = 0; i < bins; i++) {
        pooledAnomalies[i] = (pooledAnomalies[i] as number) + (imageAnomalies[i] as number);
        pooledInliers[i] = (pooledInliers[i] as number) + (imageInliers[i] as number);
      }
      return pixelMetrics(counts, (sinks) => visitBinnedCurve(imageAnomalies, imageInliers, sinks));
    },
    pooled: (counts) => binnedCountsMetrics(pooledCounts(counts)),
    binnedCounts: pooledCounts,
  };
}
