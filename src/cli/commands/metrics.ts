import { basename } from 'node:path';
import {
  createMetricsAccumulator,
  metricsJson,
  UNDEFINED_REASON_MESSAGES,
  type PixelMetrics,
} from '../../core/metrics';
import { requireGroundTruthSize } from '../../core/checks';
import { readLabelMap, readScoreMap } from '../inputFiles';
import { CliError } from '../failures';
import { formatMetricsTable } from '../metricsOutput';

export interface MetricsCommandOptions {
  scores: string[];
  gt: string[];
  thresholds: 'exact' | number;
  json: boolean;
}

/** `flowclas metrics`: pooled (and per-image) AUPRC, FPR95, AUROC of score maps against ground truth. */
export function runMetrics(options: MetricsCommandOptions): void {
  if (options.scores.length !== options.gt.length) {
    throw new CliError(
      `got ${options.scores.length} score map(s) but ${options.gt.length} ground-truth file(s); ` +
        'give one --gt per --scores, in the same order.',
    );
  }
  const accumulator = createMetricsAccumulator(
    options.thresholds === 'exact'
      ? { mode: 'exact' }
      : { mode: 'binned', bins: options.thresholds },
  );
  options.scores.forEach((scoresPath, index) => {
    const gtPath = options.gt[index] as string;
    const scoreMap = readScoreMap(scoresPath);
    const labels = readLabelMap(gtPath);
    requireGroundTruthSize(
      { name: `${gtPath}: ground truth`, width: labels.width, height: labels.height },
      { name: `the score map ${scoresPath}`, width: scoreMap.width, height: scoreMap.height },
    );
    accumulator.add(scoreMap, labels, basename(scoresPath));
  });
  const report = accumulator.result();
  if (options.json) {
    process.stdout.write(`${JSON.stringify(metricsJson(report))}\n`);
    return;
  }
  process.stdout.write(formatMetricsTable(report));
  const reason = (report.pooled as PixelMetrics).undefinedReason;
  if (reason) process.stderr.write(`note: ${UNDEFINED_REASON_MESSAGES[reason]}\n`);
}
