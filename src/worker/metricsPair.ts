/** The metrics table's numbers: pixel metrics of raw and refined maps, and their component metrics. */
import {
  componentReport,
  createMetricsAccumulator,
  type ComponentReport,
  type MetricsAccumulator,
  type MetricsOptions,
  type MetricsReport,
} from '../core/metrics';
import type { LabelMap, ScoreMap } from '../core/types';

export interface MetricsEntry {
  image: string;
  scoreMap: ScoreMap;
  refinedScoreMap: ScoreMap;
  labels: LabelMap;
}

export interface MetricsPair {
  raw: MetricsReport;
  refined: MetricsReport;
  /** SegmentMeIfYouCan component metrics of the same set, as the CLI's metrics.json has them. */
  components?: { raw: ComponentReport; refined: ComponentReport };
}

export function metricsPair(entries: MetricsEntry[], options: MetricsOptions): MetricsPair {
  const raw = createMetricsAccumulator(options);
  const refined = createMetricsAccumulator(options);
  // Binned counts fix the component threshold; exact mode keeps them beside, as the CLI does.
  const binnedBeside = (accumulator: MetricsAccumulator) =>
    options.mode === 'binned' ? accumulator : createMetricsAccumulator({ mode: 'binned' });
  const [rawBinned, refinedBinned] = [binnedBeside(raw), binnedBeside(refined)];
  for (const entry of entries) {
    raw.add(entry.scoreMap, entry.labels, entry.image);
    refined.add(entry.refinedScoreMap, entry.labels, entry.image);
    if (rawBinned !== raw) rawBinned.add(entry.scoreMap, entry.labels, entry.image);
    if (refinedBinned !== refined) {
      refinedBinned.add(entry.refinedScoreMap, entry.labels, entry.image);
    }
  }
  const [rawCounts, refinedCounts] = [rawBinned.binnedCounts(), refinedBinned.binnedCounts()];
  const maps = (pick: (entry: MetricsEntry) => ScoreMap) =>
    entries.map((entry) => ({ image: entry.image, scoreMap: pick(entry), labelMap: entry.labels }));
  return {
    raw: raw.result(),
    refined: refined.result(),
    ...(rawCounts && refinedCounts && entries.length > 0
      ? {
          components: {
            raw: componentReport(
              maps((entry) => entry.scoreMap),
              rawCounts,
            ),
            refined: componentReport(
              maps((entry) => entry.refinedScoreMap),
              refinedCounts,
            ),
          },
        }
      : {}),
  };
}
