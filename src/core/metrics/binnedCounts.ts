/**
 * A binned metrics state that can be saved and pooled with others: per-threshold counts are sums
 * over pixels, so adding the counts of two runs gives exactly the counts of one run over both.
 */
import { visitBinnedCurve } from './curvePoints';
import type { LabelCounts } from './labelledImage';
import { pixelMetrics, type PixelMetrics } from './pixelMetrics';

export interface BinnedCounts extends LabelCounts {
  /** Number of sigmoid thresholds linspace(0, 1, bins). */
  bins: number;
  /** Anomaly / inlier pixels whose sigmoid score passes each threshold. */
  anomalies: Float64Array;
  inliers: Float64Array;
}

/** The counts of all parts added together; every part must use the same thresholds. */
export function sumBinnedCounts(parts: readonly BinnedCounts[]): BinnedCounts {
  const first = parts[0];
  if (!first) throw new Error('sumBinnedCounts needs at least one part.');
  const total: BinnedCounts = {
    bins: first.bins,
    anomalies: new Float64Array(first.bins),
    inliers: new Float64Array(first.bins),
    positives: 0,
    negatives: 0,
    ignored: 0,
  };
  for (const part of parts) {
    if (part.bins !== first.bins) {
      throw new Error(`Cannot pool ${part.bins} binned thresholds with ${first.bins}.`);
    }
    for (let i = 0; i < first.bins; i++) {
      total.anomalies[i] = (total.anomalies[i] as number) + (part.anomalies[i] as number);
      total.inliers[i] = (total.inliers[i] as number) + (part.inliers[i] as number);
    }
    total.positives += part.positives;
    total.negatives += part.negatives;
    total.ignored += part.ignored;
  }
  return total;
}

/** Pixel metrics of a binned state (the same computation as the accumulator's pooled result). */
export function binnedCountsMetrics(counts: BinnedCounts): PixelMetrics {
  const labels = {
    positives: counts.positives,
    negatives: counts.negatives,
    ignored: counts.ignored,
  };
  return pixelMetrics(labels, (sinks) => visitBinnedCurve(counts.anomalies, counts.inliers, sinks));
}
