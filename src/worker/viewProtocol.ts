/**
 * What the view worker does and how the others talk to it. The view worker is the one owner of
 * each image's pixels and results:
 *
 * - the page asks it to decode a file into an image id, and later for what it draws (display-size
 *   PNGs), what it reads (a pixel's scores, histograms, metrics) and what it saves (PNG, .npy,
 *   masks JSON); every request names the image and the analysis token, never carries pixels;
 * - the analysis worker, over a port of their own, reads the image's pixels once per analysis and
 *   hands over the raw map (as soon as it exists) and the rest of the result (when done), each
 *   transferred, keeping nothing;
 * - refined maps for another bin count are smoothed here from the kept raw map and masks.
 *
 * An image's results are kept for one analysis token (bundle + settings) at a time: a result of a
 * newer token replaces the older one, and `keepOnlyToken` drops every other token's results.
 */
import type { AnalysisResult } from '../core/analysis';
import type { MetricsOptions, ScoreHistogram } from '../core/metrics';
import type { Rgb8Image } from '../core/image';
import type { RasterSize, ScoreColouring } from '../core/render';
import type { ScoreMap } from '../core/types';
import type { MetricsPair } from './metricsPair';

export type { MetricsPair } from './metricsPair';

/** Which map a request means: the raw map, or the refined map for the smoothing settings. */
export type MapChoice = { kind: 'raw' } | { kind: 'refined'; smoothing: boolean; bins: number };

export type ScoreLayerStyle =
  { kind: 'colour'; colouring: ScoreColouring } | { kind: 'threshold'; threshold: number };

export type LayerChoice =
  | { kind: 'image' }
  | { kind: 'scores'; map: MapChoice; style: ScoreLayerStyle }
  | { kind: 'masks' };

/** One analysis of one image. */
export interface AnalysisRef {
  imageId: string;
  token: string;
}

/** A decoded image's size (the views are drawn at most MAX_DISPLAY_SIDE on the long side). */
export type DecodedImage = RasterSize;

export interface HistogramPair {
  raw: ScoreHistogram;
  refined: ScoreHistogram;
}

export interface PixelScores {
  raw: number | undefined;
  refined: number | undefined;
}

/** What the page asks of the view worker. */
export interface ViewWorkerApi {
  /** Joins the analysis worker: the port serves `ResultSinkApi`. */
  connectAnalysis(port: MessagePort): void;
  decodeImage(imageId: string, file: Blob, name: string): Promise<DecodedImage>;
  /** Decodes ground truth and keeps it aside under `labelsId` until attached or dropped. */
  decodeGroundTruth(labelsId: string, file: Blob, name: string): Promise<RasterSize>;
  /** Pairs kept ground truth with an image (null takes it away); unknown ids are ignored. */
  attachGroundTruth(imageId: string, labelsId: string | null): void;
  dropGroundTruth(labelsId: string): void;
  /** Frees everything of these images. */
  forgetImages(imageIds: readonly string[]): void;
  /** Frees every image's results of any other token. */
  keepOnlyToken(token: string): void;

  /** A view layer as PNG at display size, or null while its data does not exist yet. */
  layer(ref: AnalysisRef, choice: LayerChoice): Promise<Blob | null>;
  /** Lowest and highest score of the raw and chosen refined map, for the automatic range. */
  scoreExtent(ref: AnalysisRef, refined: MapChoice): [number, number] | null;
  scoresAt(ref: AnalysisRef, refined: MapChoice, x: number, y: number): PixelScores;
  histograms(
    ref: AnalysisRef,
    refined: MapChoice,
    bins: number,
    range: readonly [number, number],
  ): HistogramPair | null;
  /** Raw vs refined metrics over the images (in this order) that have ground truth and a result. */
  metrics(
    token: string,
    images: readonly { imageId: string; name: string }[],
    refined: MapChoice,
    options: MetricsOptions,
  ): MetricsPair | null;

  /**
   * A view as the user sees it at full size: the layer over the photo, as PNG bytes; with
   * `colourBar`, a score layer's colour bar (or threshold colours) and its numbers below it.
   */
  viewPng(ref: AnalysisRef, choice: LayerChoice, opacity: number, colourBar?: boolean): Uint8Array;
  /** The chosen map as .npy (float32 [H, W]). */
  scoreMapNpy(ref: AnalysisRef, map: MapChoice): Uint8Array;
  /** The automatic masks as COCO RLE JSON. */
  masksJson(ref: AnalysisRef): string;
}

/** The part of a result that follows the raw map (which was handed over before). */
export type ResultRest = Omit<AnalysisResult, 'scoreMap' | 'timings'>;

/** What the analysis worker tells the view worker (over their own port). */
export interface ResultSinkApi {
  /** The image's pixels (copied: the view worker keeps its own for the views). */
  imagePixels(imageId: string): Rgb8Image;
  putRawMap(ref: AnalysisRef, scoreMap: ScoreMap): void;
  putResult(ref: AnalysisRef, rest: ResultRest): void;
}
