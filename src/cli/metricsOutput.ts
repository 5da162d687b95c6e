/** How the CLI prints metrics for people (scripts get core/metrics' metricsJson). */
import type { MetricsReport } from '../core/metrics';

const percent = (value: number) => (Number.isNaN(value) ? '—' : (value * 100).toFixed(2));

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
