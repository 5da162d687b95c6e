/** How the CLI prints metrics: a table for people, JSON for scripts. */
import type { MetricsReport, PixelMetrics } from '../core/metrics';

const percent = (value: number) => (Number.isNaN(value) ? '—' : (value * 100).toFixed(2));

/** NaN is not JSON; undefined metrics become null next to their reason. */
const jsonNumber = (value: number) => (Number.isNaN(value) ? null : value);

function metricsRecord(metrics: PixelMetrics) {
  return {
    auprc: jsonNumber(metrics.auprc),
    fpr95: jsonNumber(metrics.fpr95),
    auroc: jsonNumber(metrics.auroc),
    positives: metrics.positives,
    negatives: metrics.negatives,
    ignored: metrics.ignored,
    ...(metrics.undefinedReason ? { undefinedReason: metrics.undefinedReason } : {}),
  };
}

export function metricsJson(report: MetricsReport) {
  return {
    ...metricsRecord(report.pooled),
    thresholds: report.mode === 'exact' ? 'exact' : report.bins,
    images: report.perImage.map((image) => ({ image: image.image, ...metricsRecord(image) })),
  };
}

export function formatMetricsTable(report: MetricsReport): string {
  const rows = [
    ...report.perImage.map((image) => [image.image, image] as const),
    ['pooled', report.pooled] as const,
  ];
  const nameWidth = Math.max(5, ...rows.map(([name]) => name.length));
  const header = `${'image'.padEnd(nameWidth)}  AUPRC %  FPR95 %  AUROC %\n`;
  const lines = rows.map(
    ([name, metrics]) =>
      `${name.padEnd(nameWidth)}  ${percent(metrics.auprc).padStart(7)}  ${percent(metrics.fpr95).padStart(7)}  ${percent(metrics.auroc).padStart(7)}\n`,
  );
  const mode = report.mode === 'exact' ? 'exact thresholds' : `${report.bins} sigmoid bins`;
  return `${header}${lines.join('')}(${mode})\n`;
}
