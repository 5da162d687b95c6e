/** What the view worker does; plain functions over core types, results transferred back. */
import { transfer } from 'comlink';
import type { Rgb8Image } from '../../core/image';
import { scoreMapToNpy } from '../../core/io/npy';
import { rgbaToPng } from '../../core/io/png';
import { encodeAutomaticMasks } from '../../core/io/rleMaskList';
import { scoreHistogram, type MetricsOptions, type ScoreHistogram } from '../../core/metrics';
import {
  compositeOver,
  renderMaskOverlay,
  scoreMapToRgba,
  thresholdToRgba,
  type ScoreColouring,
} from '../../core/render';
import type { AutomaticMask } from '../../core/sam2';
import type { LabelMap, PixelMask, ScoreMap } from '../../core/types';
import { decodeGroundTruthFile } from '../images/decodeGroundTruthFile';
import { decodeImageFile } from '../images/decodeImageFile';
import { metricsPair, type MetricsEntry, type MetricsPair } from '../metrics/metricsPair';

export type ScoreLayerStyle =
  { kind: 'colour'; colouring: ScoreColouring } | { kind: 'threshold'; threshold: number };

export type { MetricsEntry, MetricsPair } from '../metrics/metricsPair';

export interface HistogramPair {
  raw: ScoreHistogram;
  refined: ScoreHistogram;
}

const movable = <T extends ArrayBufferView>(array: T): T =>
  transfer(array, [array.buffer as ArrayBuffer]);

const thresholdColours = {
  above: [255, 255, 255, 255],
  below: [0, 0, 0, 160],
} as const;

export const viewService = {
  async decodeImage(file: Blob, name: string): Promise<Rgb8Image> {
    const image = await decodeImageFile(file, name);
    return transfer(image, [image.data.buffer as ArrayBuffer]);
  },

  async decodeGroundTruth(file: Blob, name: string): Promise<LabelMap> {
    const labels = await decodeGroundTruthFile(file, name);
    return transfer(labels, [labels.data.buffer as ArrayBuffer]);
  },

  imageRgba(image: Rgb8Image): Uint8ClampedArray {
    const rgba = new Uint8ClampedArray(image.width * image.height * 4);
    for (let pixel = 0, i = 0; i < rgba.length; pixel += 3, i += 4) {
      rgba[i] = image.data[pixel] as number;
      rgba[i + 1] = image.data[pixel + 1] as number;
      rgba[i + 2] = image.data[pixel + 2] as number;
      rgba[i + 3] = 255;
    }
    return movable(rgba);
  },

  scoreLayerRgba(scoreMap: ScoreMap, style: ScoreLayerStyle): Uint8ClampedArray {
    const rgba =
      style.kind === 'colour'
        ? scoreMapToRgba(scoreMap, style.colouring)
        : thresholdToRgba(scoreMap, style.threshold, thresholdColours);
    return movable(rgba);
  },

  maskLayerRgba(width: number, height: number, masks: PixelMask[]): Uint8ClampedArray {
    return movable(renderMaskOverlay({ width, height }, masks, { fillOpacity: 0.45 }));
  },

  /** A view as the user sees it: the layer over the photo, as PNG bytes. */
  viewPng(
    width: number,
    height: number,
    base: Uint8ClampedArray,
    layer: Uint8ClampedArray | null,
    opacity: number,
  ): Uint8Array {
    const pixels = layer ? compositeOver(base, layer, opacity) : base;
    return movable(rgbaToPng(width, height, pixels));
  },

  scoreMapNpy(scoreMap: ScoreMap): Uint8Array {
    return movable(scoreMapToNpy(scoreMap));
  },

  masksJson(masks: AutomaticMask[]): string {
    return encodeAutomaticMasks(masks);
  },

  histograms(
    scoreMap: ScoreMap,
    refinedScoreMap: ScoreMap,
    labels: LabelMap | null,
    bins: number,
    range: [number, number],
  ): HistogramPair {
    const options = { bins, range, ...(labels ? { labels } : {}) };
    return {
      raw: scoreHistogram(scoreMap, options),
      refined: scoreHistogram(refinedScoreMap, options),
    };
  },

  metrics(entries: MetricsEntry[], options: MetricsOptions): MetricsPair {
    return metricsPair(entries, options);
  },
};

export type ViewService = typeof viewService;
