/** The JSON form of a metrics report, shared by the CLI's metrics.json and the app's export. */
import {
  SIZE_LIMITS_REFERENCE_PIXELS,
  type ComponentMetrics,
  type ComponentReport,
} from './componentMetrics';
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

/** Infinite thresholds (nothing or everything passes) are not JSON either. */
const finiteOrNull = (value: number) => (Number.isFinite(value) ? value : null);

function componentRecord(metrics: ComponentMetrics) {
  return {
    sIoU: jsonNumber(metrics.sIoU),
    ppv: jsonNumber(metrics.ppv),
    meanF1: jsonNumber(metrics.meanF1),
    f1: {
      '0.25': jsonNumber(metrics.f1At25),
      '0.5': jsonNumber(metrics.f1At50),
      '0.75': jsonNumber(metrics.f1At75),
    },
    groundTruthComponents: metrics.groundTruthComponents,
    predictedComponents: metrics.predictedComponents,
  };
}

/** Component metrics (SegmentMeIfYouCan): the set's threshold and size limits, pooled and per image. */
export function componentsJson(report: ComponentReport) {
  return {
    threshold: finiteOrNull(report.pooled.threshold.score),
    sigmoidThreshold: report.pooled.threshold.sigmoidThreshold,
    sizeLimits: { ...report.limits, forImagesOf: SIZE_LIMITS_REFERENCE_PIXELS },
    ...componentRecord(report.pooled),
    images: report.perImage.map((image) => ({ image: image.image, ...componentRecord(image) })),
  };
}
