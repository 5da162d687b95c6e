/**
 * `flowclas metrics merge DIR…`: pools the metrics of several `score` output folders (shards of
 * one set, run on one machine or many) into the metrics.json one run over all images writes.
 */
import { writeFileAtomic } from '../score/atomicWrite';
import { mergeSavedMetrics, metricsFileJson, readSavedMetrics } from '../score/savedMetrics';

export interface MetricsMergeOptions {
  out?: string;
}

export function runMetricsMerge(folders: string[], options: MetricsMergeOptions): void {
  const parts = folders.flatMap((folder) =>
    readSavedMetrics(folder).map((state) => ({ folder, state })),
  );
  const merged = mergeSavedMetrics(parts);
  const json = metricsFileJson(merged.bundle, merged.raw, merged.refined, merged);
  if (!options.out) {
    process.stdout.write(json);
    return;
  }
  writeFileAtomic(options.out, json);
  process.stderr.write(
    `metrics of ${merged.raw.perImage.length} image(s) from ${parts.length} run(s) written to ${options.out}\n`,
  );
}
