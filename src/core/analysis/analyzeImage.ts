/**
 * One analysis of one image: the raw score map first (delivered as soon as it exists), then the
 * automatic masks and the mask-smoothed map. Cancellable between stages and decoder batches.
 */
import type { LikelihoodGrid } from '../anomaly';
import type { BundleManifest } from '../bundle/manifestSchema';
import { AMG_POINTS_PER_SIDE_RANGE } from '../defaults';
import { InvalidInputError } from '../errors';
import type { Rgb8Image } from '../image';
import type { OrtApi } from '../runtime/ort';
import type { BundleSessions } from '../runtime/sessions';
import type { AmgPath, AutomaticMask } from '../sam2';
import { smoothScoreMap } from '../smoothing';
import type { ScoreMap } from '../types';
import { computeAnomalyScore } from './anomalyScore';
import { computeAutomaticMasks, type MaskProgress } from './automaticMasks';
import { StageClock, type StageTimings } from './stages';

export interface AnalysisResult {
  width: number;
  height: number;
  likelihoodGrid: LikelihoodGrid;
  /** Raw anomaly score s per pixel, [H, W]. */
  scoreMap: ScoreMap;
  /** SAM 2 automatic masks in processing order; null when the bundle has no segmenter or masks were skipped. */
  masks: AutomaticMask[] | null;
  /** Mask-smoothed score map with `bins`; null without masks. */
  refinedScoreMap: ScoreMap | null;
  bins: number;
  timings: StageTimings;
}

export type AnalysisEvent =
  | { kind: 'score-map'; scoreMap: ScoreMap; timings: StageTimings }
  | { kind: 'mask-progress'; progress: MaskProgress };

export interface AnalyzeOptions {
  /** Run SAM 2 (default true when the bundle has a segmenter). */
  withMasks?: boolean;
  /** Smoothing bins; the bundle default when omitted. */
  bins?: number;
  /** Where automatic masks get their stability score (default DEFAULT_AMG_PATH). */
  amgPath?: AmgPath;
  /** AMG prompt grid side (its square is the number of decoder prompts); the bundle's by default. */
  pointsPerSide?: number;
  signal?: AbortSignal;
  onEvent?: (event: AnalysisEvent) => void | Promise<void>;
}

function validatePointsPerSide(pointsPerSide: number): void {
  const { min, max } = AMG_POINTS_PER_SIDE_RANGE;
  if (!Number.isInteger(pointsPerSide) || pointsPerSide < min || pointsPerSide > max) {
    throw new InvalidInputError(
      `Points per side must be a whole number from ${min} to ${max}; got ${String(pointsPerSide)}.`,
    );
  }
}

export async function analyzeImage(
  ort: OrtApi,
  sessions: BundleSessions,
  manifest: BundleManifest,
  image: Rgb8Image,
  options: AnalyzeOptions = {},
): Promise<AnalysisResult> {
  const { signal, onEvent } = options;
  const bins = options.bins ?? manifest.smoothing.bins;
  const clock = new StageClock();

  const { likelihoodGrid, scoreMap } = await computeAnomalyScore(
    ort,
    sessions,
    manifest,
    image,
    clock,
    signal,
  );
  // Awaited: where the map is handed to another thread, the segmenter's runs would otherwise hold
  // this thread's event loop until the end, and the first heatmap would wait for the masks.
  await onEvent?.({ kind: 'score-map', scoreMap, timings: { ...clock.timings } });

  if (options.pointsPerSide !== undefined) validatePointsPerSide(options.pointsPerSide);
  const segmenter =
    manifest.segmenter && options.pointsPerSide !== undefined
      ? {
          ...manifest.segmenter,
          amg: { ...manifest.segmenter.amg, pointsPerSide: options.pointsPerSide },
        }
      : manifest.segmenter;
  const { encoder, decoder } = sessions;
  let masks: AutomaticMask[] | null = null;
  let refinedScoreMap: ScoreMap | null = null;
  if ((options.withMasks ?? true) && segmenter && encoder && decoder) {
    masks = await computeAutomaticMasks(ort, { encoder, decoder }, segmenter, image, clock, {
      amgPath: options.amgPath,
      signal,
      onProgress: (progress) => onEvent?.({ kind: 'mask-progress', progress }),
    });
    const found = masks;
    refinedScoreMap = await clock.time('smoothing', () =>
      smoothScoreMap(
        scoreMap,
        found.map((automaticMask) => automaticMask.mask),
        bins,
      ),
    );
  }
  return {
    width: image.width,
    height: image.height,
    likelihoodGrid,
    scoreMap,
    masks,
    refinedScoreMap,
    bins,
    timings: clock.timings,
  };
}
