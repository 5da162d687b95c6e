/** The JSON form of a metrics report, shared by the CLI's metrics.json and the app's export. */
import type { MetricsReport } from './metricsAccumulator';
import type { PixelMetrics } from './pixelMetrics';

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

/** Pooled metrics at the top level (fractions in [0, 1]), per-image values under `images`. */
export function metricsJson(report: MetricsReport) {
  return {
    ...metricsRecord(report.pooled),
    thresholds: report.mode === 'exact' ? 'exact' : report.bins,
    images: report.perImage.map((image) => ({ image: image.image, ...metricsRecord(image) })),
  };
}
