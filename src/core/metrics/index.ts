/** Pixel-level metrics (pipeline.md §7) and score histograms. */
export { DEFAULT_BINNED_THRESHOLDS } from './binnedThresholds';
export { binnedCountsMetrics, sumBinnedCounts, type BinnedCounts } from './binnedCounts';
export {
  COMPONENT_THRESHOLDS,
  SMIYC_SIZE_LIMITS,
  bestF1Threshold,
  componentReport,
  imageComponents,
  limitsForImage,
  summariseComponents,
  type ComponentMetrics,
  type ComponentReport,
  type ComponentSizeLimits,
  type ComponentThreshold,
  type ImageComponents,
} from './componentMetrics';
export type { LabelCounts } from './labelledImage';
export {
  createMetricsAccumulator,
  type ImageMetrics,
  type MetricsAccumulator,
  type MetricsOptions,
  type MetricsReport,
} from './metricsAccumulator';
export {
  UNDEFINED_REASON_MESSAGES,
  type MetricsUndefinedReason,
  type PixelMetrics,
} from './pixelMetrics';
export { scoreHistogram, type ScoreHistogram, type ScoreHistogramOptions } from './histogram';
export { componentsJson, metricsJson } from './metricsJson';
