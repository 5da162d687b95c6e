/** Mask-based score smoothing (FlowCLAS Algorithm 1, pipeline.md §5). */
export { DEFAULT_SMOOTHING_BINS, smoothScoreMap, smoothScoreMapInPlace } from './smoothScoreMap';
