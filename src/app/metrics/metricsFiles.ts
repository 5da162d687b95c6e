/** Metrics as files: JSON in the CLI's metrics.json layout, and a flat CSV for spreadsheets. */
import { componentsJson, metricsJson } from '../../core/metrics';
import type { PixelMetrics } from '../../core/metrics';
import type { MetricsPair } from '../../worker/viewProtocol';

export function metricsToJson(bundleName: string, pair: MetricsPair): string {
  const document = {
    bundle: bundleName,
    raw: {
      ...metricsJson(pair.raw),
      ...(pair.components ? { components: componentsJson(pair.components.raw) } : {}),
    },
    refined: {
      ...metricsJson(pair.refined),
      ...(pair.components ? { components: componentsJson(pair.components.refined) } : {}),
    },
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

const csvNumber = (value: number) => (Number.isNaN(value) ? '' : String(value));
const csvText = (text: string) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

export function metricsToCsv(pair: MetricsPair): string {
  const header = 'image,map,auprc,fpr95,auroc,positives,negatives,ignored';
  const row = (image: string, map: string, metrics: PixelMetrics) =>
    [
      csvText(image),
      map,
      csvNumber(metrics.auprc),
      csvNumber(metrics.fpr95),
      csvNumber(metrics.auroc),
      metrics.positives,
      metrics.negatives,
      metrics.ignored,
    ].join(',');
  const rows: string[] = [];
  pair.raw.perImage.forEach((raw, index) => {
    rows.push(row(raw.image, 'raw', raw));
    const refined = pair.refined.perImage[index];
    if (refined) rows.push(row(refined.image, 'refined', refined));
  });
  rows.push(row('pooled', 'raw', pair.raw.pooled), row('pooled', 'refined', pair.refined.pooled));
  return `${[header, ...rows].join('\n')}\n`;
}
