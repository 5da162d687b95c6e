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

/** Pixel metrics of one kind of map (raw or refined), with the binned counts components need. */
interface MapMetrics {
  add(scoreMap: ScoreMap, labels: LabelMap, image: string): void;
  report(): MetricsReport;
  binnedCounts(): ReturnType<MetricsAccumulator['binnedCounts']>;
}

function mapMetrics(options: MetricsOptions): MapMetrics {
  const accumulator = createMetricsAccumulator(options);
  // Binned counts fix the component threshold; exact mode keeps them beside, as the CLI does.
  const binned =
    options.mode === 'binned' ? accumulator : createMetricsAccumulator({ mode: 'binned' });
  return {
    add(scoreMap, labels, image) {
      accumulator.add(scoreMap, labels, image);
      if (binned !== accumulator) binned.add(scoreMap, labels, image);
    },
    report: () => accumulator.result(),
    binnedCounts: () => binned.binnedCounts(),
  };
}

/**
 * Metrics that grow image by image: adding an image measures only that image (the pooled counts
 * stream). While every refined map is its raw map (smoothing off, no masks) the refined numbers
 * are the raw ones, measured once.
 */
export class MetricsPairAccumulator {
  readonly entries: MetricsEntry[] = [];
  private readonly raw: MapMetrics;
  private readonly refined: MapMetrics;
  private refinedIsRaw = true;

  constructor(private readonly options: MetricsOptions) {
    this.raw = mapMetrics(options);
    this.refined = mapMetrics(options);
  }

  add(entry: MetricsEntry): void {
    this.entries.push(entry);
    this.raw.add(entry.scoreMap, entry.labels, entry.image);
    if (this.refinedIsRaw && entry.refinedScoreMap !== entry.scoreMap) {
      // The first image with its own refined map: the refined side catches up on the others.
      this.refinedIsRaw = false;
      for (const earlier of this.entries.slice(0, -1)) {
        this.refined.add(earlier.refinedScoreMap, earlier.labels, earlier.image);
      }
    }
    if (!this.refinedIsRaw) this.refined.add(entry.refinedScoreMap, entry.labels, entry.image);
  }

  result(): MetricsPair {
    const refined = this.refinedIsRaw ? this.raw : this.refined;
    const [rawCounts, refinedCounts] = [this.raw.binnedCounts(), refined.binnedCounts()];
    const maps = (pick: (entry: MetricsEntry) => ScoreMap) =>
      this.entries.map((entry) => ({
        image: entry.image,
        scoreMap: pick(entry),
        labelMap: entry.labels,
      }));
    const rawComponents =
      rawCounts && this.entries.length > 0
        ? componentReport(
            maps((entry) => entry.scoreMap),
            rawCounts,
          )
        : undefined;
    const refinedComponents =
      this.refinedIsRaw || !refinedCounts || this.entries.length === 0
        ? rawComponents
        : componentReport(
            maps((entry) => entry.refinedScoreMap),
            refinedCounts,
          );
    return {
      raw: this.raw.report(),
      refined: refined.report(),
      ...(rawComponents && refinedComponents
        ? { components: { raw: rawComponents, refined: refinedComponents } }
        : {}),
    };
  }

  /** Whether these are the first entries of `entries` (same images, same maps, same labels). */
  isPrefixOf(entries: readonly MetricsEntry[], options: MetricsOptions): boolean {
    return (
      JSON.stringify(options) === JSON.stringify(this.options) &&
      this.entries.length <= entries.length &&
      this.entries.every((entry, index) => {
        const other = entries[index];
        return (
          other !== undefined &&
          entry.image === other.image &&
          entry.scoreMap === other.scoreMap &&
          entry.refinedScoreMap === other.refinedScoreMap &&
          entry.labels === other.labels
        );
      })
    );
  }
}

export function metricsPair(entries: MetricsEntry[], options: MetricsOptions): MetricsPair {
  const accumulator = new MetricsPairAccumulator(options);
  for (const entry of entries) accumulator.add(entry);
  return accumulator.result();
}
