/**
 * The metrics state a `score` run saves beside its outputs, and the merge of several such states
 * (shards, or runs over parts of a set) into the metrics one run over everything would report.
 * Binned metrics pool their per-threshold counts exactly; exact metrics are recomputed from the
 * score maps the runs kept, in the order of the full input list.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  binnedCountsMetrics,
  componentReport,
  componentsJson,
  createMetricsAccumulator,
  sumBinnedCounts,
  type BinnedCounts,
  type ComponentReport,
  type ComponentSizeLimits,
  type ImageMetrics,
  metricsJson,
  type MetricsReport,
} from '../../core/metrics';
import { CliError } from '../failures';
import { readLabelMap, readScoreMap } from '../inputFiles';
import type { Shard } from './imageInputs';

export type ThresholdMode = 'exact' | number;

export interface SavedImage {
  key: string;
  position: number;
  groundTruth: string;
  /** Output files (relative to the output folder) of the raw and refined score maps. */
  scoreFile: string;
  refinedFile?: string;
  raw: ImageMetrics;
  refined?: ImageMetrics;
}

export interface SavedCounts {
  bins: number;
  anomalies: number[];
  inliers: number[];
  positives: number;
  negatives: number;
  ignored: number;
}

export interface SavedMetrics {
  version: 1;
  bundle: { name: string; sha256: string };
  thresholds: ThresholdMode;
  refined: boolean;
  images: SavedImage[];
  /**
   * Pooled binned counts: the binned metrics themselves, and in either mode what fixes the
   * component metrics' threshold.
   */
  rawCounts: SavedCounts;
  refinedCounts?: SavedCounts;
  componentSizes: ComponentSizeLimits;
}

const STATE_PREFIX = 'metrics-state';

export function savedMetricsFileName(shard: Shard | undefined): string {
  return shard
    ? `${STATE_PREFIX}.shard-${shard.index}-of-${shard.count}.json`
    : `${STATE_PREFIX}.json`;
}

export function metricsFileName(shard: Shard | undefined): string {
  return shard ? `metrics.shard-${shard.index}-of-${shard.count}.json` : 'metrics.json';
}

export const saveCounts = (counts: BinnedCounts): SavedCounts => ({
  ...counts,
  anomalies: Array.from(counts.anomalies),
  inliers: Array.from(counts.inliers),
});

const loadCounts = (counts: SavedCounts): BinnedCounts => ({
  ...counts,
  anomalies: Float64Array.from(counts.anomalies),
  inliers: Float64Array.from(counts.inliers),
});

/** JSON has no NaN: undefined metrics are saved as null and read back as NaN. */
export const metricsToJson = (state: SavedMetrics) =>
  JSON.stringify(state, (_key, value: unknown) =>
    typeof value === 'number' && Number.isNaN(value) ? null : value,
  );

function reviveImageMetrics(metrics: ImageMetrics): ImageMetrics {
  const orNaN = (value: number | null) => (value === null ? NaN : value);
  return {
    ...metrics,
    auprc: orNaN(metrics.auprc),
    fpr95: orNaN(metrics.fpr95),
    auroc: orNaN(metrics.auroc),
  };
}

/** Every saved metrics state in a folder (one per run or shard). */
export function readSavedMetrics(folder: string): SavedMetrics[] {
  if (!existsSync(folder)) throw new CliError(`${folder}: folder not found.`);
  const files = readdirSync(folder).filter(
    (name) => name.startsWith(STATE_PREFIX) && name.endsWith('.json'),
  );
  if (files.length === 0) {
    throw new CliError(
      `${folder}: no ${STATE_PREFIX}*.json here; is it a flowclas score output folder?`,
    );
  }
  return files
    .sort()
    .map((file) => JSON.parse(readFileSync(join(folder, file), 'utf8')) as SavedMetrics);
}

export interface MergedMetrics extends SetComponents {
  bundle: string;
  raw: MetricsReport;
  refined?: MetricsReport;
}

export interface SetComponents {
  rawComponents?: ComponentReport;
  refinedComponents?: ComponentReport;
}

type PlacedImage = { folder: string; image: SavedImage };

/** The maps of each image again, read from where its run wrote them. */
function* mapsOf(ordered: readonly PlacedImage[], which: 'raw' | 'refined') {
  for (const { folder, image } of ordered) {
    const file = which === 'raw' ? image.scoreFile : image.refinedFile;
    if (!file) continue;
    yield {
      image: image.key,
      scoreMap: readScoreMap(join(folder, file)),
      labelMap: readLabelMap(image.groundTruth),
    };
  }
}

/**
 * Component metrics need the set's threshold before any image's components, so they are a second
 * pass over the kept maps, in the full list's order (a single run and a merge do the same).
 */
export function setComponents(
  ordered: readonly PlacedImage[],
  counts: { raw: BinnedCounts; refined?: BinnedCounts },
  limits: ComponentSizeLimits,
): SetComponents {
  if (ordered.length === 0) return {};
  return {
    rawComponents: componentReport(mapsOf(ordered, 'raw'), counts.raw, limits),
    ...(counts.refined
      ? { refinedComponents: componentReport(mapsOf(ordered, 'refined'), counts.refined, limits) }
      : {}),
  };
}

/** Pools saved states (each with the folder it was read from) as one run over all their images. */
export function mergeSavedMetrics(parts: { folder: string; state: SavedMetrics }[]): MergedMetrics {
  const first = parts[0]?.state;
  if (!first) throw new CliError('nothing to merge.');
  for (const { folder, state } of parts) {
    if (state.bundle.sha256 !== first.bundle.sha256) {
      throw new CliError(
        `${folder}: scored with bundle ${state.bundle.name}, not ${first.bundle.name}; only runs of one bundle can be merged.`,
      );
    }
    if (state.thresholds !== first.thresholds || state.refined !== first.refined) {
      throw new CliError(
        `${folder}: other metric settings (thresholds ${state.thresholds}) than ${parts[0]?.folder} (thresholds ${first.thresholds}).`,
      );
    }
  }
  const images = new Map<string, { folder: string; image: SavedImage }>();
  for (const { folder, state } of parts) {
    for (const image of state.images) {
      // Pooled counts cannot be taken apart again: an image in two states would count twice.
      const earlier = images.get(image.key);
      if (earlier) {
        throw new CliError(
          `${image.key} is in the metrics of ${earlier.folder} and of ${folder}; merge the ` +
            'folders of disjoint shards (a folder holding an unsharded run and shard runs mixes both).',
        );
      }
      images.set(image.key, { folder, image });
    }
  }
  const ordered = [...images.values()].sort((a, b) => a.image.position - b.image.position);
  const states = parts.map(({ state }) => state);
  const merged =
    first.thresholds === 'exact'
      ? recomputeExact(ordered, first.refined)
      : poolBinned(states, ordered, first.thresholds);
  const refinedParts = states.flatMap((state) =>
    state.refinedCounts ? [loadCounts(state.refinedCounts)] : [],
  );
  const components = setComponents(
    ordered,
    {
      raw: sumBinnedCounts(states.map((state) => loadCounts(state.rawCounts))),
      ...(first.refined && refinedParts.length > 0
        ? { refined: sumBinnedCounts(refinedParts) }
        : {}),
    },
    first.componentSizes,
  );
  return { bundle: first.bundle.name, ...merged, ...components };
}

function poolBinned(
  states: SavedMetrics[],
  ordered: { image: SavedImage }[],
  bins: number,
): Omit<MergedMetrics, 'bundle'> {
  const report = (which: 'raw' | 'refined'): MetricsReport => {
    const counts = states.flatMap((state) => {
      const saved = which === 'raw' ? state.rawCounts : state.refinedCounts;
      return saved ? [loadCounts(saved)] : [];
    });
    return {
      mode: 'binned',
      bins,
      perImage: ordered.flatMap(({ image }) => {
        const metrics = image[which];
        return metrics ? [reviveImageMetrics(metrics)] : [];
      }),
      pooled: binnedCountsMetrics(sumBinnedCounts(counts)),
    };
  };
  return { raw: report('raw'), ...(states[0]?.refined ? { refined: report('refined') } : {}) };
}

/** Exact thresholds need every score: read the kept maps again, in the full list's order. */
function recomputeExact(
  ordered: { folder: string; image: SavedImage }[],
  withRefined: boolean,
): Omit<MergedMetrics, 'bundle'> {
  const raw = createMetricsAccumulator({ mode: 'exact' });
  const refined = createMetricsAccumulator({ mode: 'exact' });
  for (const { folder, image } of ordered) {
    const labels = readLabelMap(image.groundTruth);
    raw.add(readScoreMap(join(folder, image.scoreFile)), labels, image.key);
    if (withRefined && image.refinedFile) {
      refined.add(readScoreMap(join(folder, image.refinedFile)), labels, image.key);
    }
  }
  return { raw: raw.result(), ...(withRefined ? { refined: refined.result() } : {}) };
}

/** metrics.json: pooled and per-image metrics, raw and (with masks) refined. */
export function metricsFileJson(
  bundle: string,
  raw: MetricsReport,
  refined: MetricsReport | undefined,
  components: SetComponents,
): string {
  const withComponents = (report: MetricsReport, found: ComponentReport | undefined) => ({
    ...metricsJson(report),
    ...(found ? { components: componentsJson(found) } : {}),
  });
  const metrics = {
    bundle,
    raw: withComponents(raw, components.rawComponents),
    ...(refined ? { refined: withComponents(refined, components.refinedComponents) } : {}),
  };
  return `${JSON.stringify(metrics, null, 2)}\n`;
}
