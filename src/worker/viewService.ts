/** The view worker's API over its image records (see viewProtocol.ts for who calls what). */
import { expose, transfer } from 'comlink';
import { scoreMapToNpy } from '../core/io/npy';
import { rgbaToPng } from '../core/io/png';
import { encodeAutomaticMasks } from '../core/io/rleMaskList';
import { scoreHistogram } from '../core/metrics';
import {
  colourBarStyleOf,
  compositeOver,
  displaySize,
  renderMaskOverlay,
  sampleMasks,
  sampleRgb,
  sampleScoreMap,
  scoreMapToRgba,
  THRESHOLD_VIEW_COLOURS,
  thresholdToRgba,
  type RasterSize,
} from '../core/render';
import type { Rgb8Image } from '../core/image';
import type { ScoreMap } from '../core/types';
import { decodeGroundTruthFile } from '../app/images/decodeGroundTruthFile';
import { decodeImageFile } from '../app/images/decodeImageFile';
import { withColourBarBelow } from './colourBarBelow';
import { ImageRecords } from './imageRecords';
import { MetricsPairAccumulator, type MetricsEntry } from './metricsPair';
import type {
  AnalysisRef,
  LayerChoice,
  ResultSinkApi,
  ScoreLayerStyle,
  ViewWorkerApi,
} from './viewProtocol';

const movable = <T extends ArrayBufferView>(array: T): T =>
  transfer(array, [array.buffer as ArrayBuffer]);

function rgbToRgba(image: Rgb8Image): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(image.width * image.height * 4);
  for (let pixel = 0, i = 0; i < rgba.length; pixel += 3, i += 4) {
    rgba[i] = image.data[pixel] as number;
    rgba[i + 1] = image.data[pixel + 1] as number;
    rgba[i + 2] = image.data[pixel + 2] as number;
    rgba[i + 3] = 255;
  }
  return rgba;
}

function scoreLayerRgba(scoreMap: ScoreMap, style: ScoreLayerStyle): Uint8ClampedArray {
  return style.kind === 'colour'
    ? scoreMapToRgba(scoreMap, style.colouring)
    : thresholdToRgba(scoreMap, style.threshold, THRESHOLD_VIEW_COLOURS);
}

function extentOf(maps: readonly ScoreMap[]): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const map of maps) {
    for (const value of map.data) {
      if (value < lo) lo = value;
      if (value > hi) hi = value;
    }
  }
  return Number.isFinite(lo) ? [lo, hi] : null;
}

export function createViewService(records = new ImageRecords()): ViewWorkerApi {
  /** A layer's RGBA at `size` (the display size, or the image's own for a download). */
  const layerRgba = (
    ref: AnalysisRef,
    choice: LayerChoice,
    size: RasterSize,
  ): Uint8ClampedArray | null => {
    if (choice.kind === 'image') return rgbToRgba(sampleRgb(records.image(ref.imageId), size));
    if (choice.kind === 'masks') {
      const masks = records.masks(ref);
      if (!masks) return null;
      const sampled = sampleMasks(
        masks.map((automaticMask) => automaticMask.mask),
        size,
      );
      return renderMaskOverlay(size, sampled, { fillOpacity: 0.45 });
    }
    const map = records.scoreMap(ref, choice.map);
    return map ? scoreLayerRgba(sampleScoreMap(map, size), choice.style) : null;
  };

  let metricsSoFar: MetricsPairAccumulator | undefined;

  const service: ViewWorkerApi = {
    connectAnalysis(port) {
      expose(resultSink(records), port);
    },

    async decodeImage(imageId, file, name) {
      const image = await decodeImageFile(file, name);
      records.putImage(imageId, image);
      return { width: image.width, height: image.height };
    },

    async decodeGroundTruth(labelsId, file, name) {
      const labels = await decodeGroundTruthFile(file, name);
      records.putPendingLabels(labelsId, labels);
      return { width: labels.width, height: labels.height };
    },

    attachGroundTruth: (imageId, labelsId) => records.attachLabels(imageId, labelsId),
    dropGroundTruth: (labelsId) => records.dropLabels(labelsId),
    forgetImages: (imageIds) => records.forget(imageIds),
    keepOnlyToken: (token) => records.keepOnlyToken(token),

    async layer(ref, choice) {
      const image = records.record(ref.imageId)?.image;
      if (!image) return null;
      const size = displaySize(image);
      const rgba = layerRgba(ref, choice, size);
      if (!rgba) return null;
      // A PNG, so the page shows it with an image element: decoded and scaled by the browser
      // off the main thread, lossless for the tests that read it back.
      const canvas = new OffscreenCanvas(size.width, size.height);
      const context = canvas.getContext('2d');
      if (!context) throw new Error('No 2D canvas in the view worker.');
      context.putImageData(
        new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, size.width, size.height),
        0,
        0,
      );
      return canvas.convertToBlob({ type: 'image/png' });
    },

    scoreExtent(ref, refined) {
      const raw = records.scoreMap(ref, { kind: 'raw' });
      if (!raw) return null;
      const other = records.scoreMap(ref, refined);
      return extentOf(other && other !== raw ? [raw, other] : [raw]);
    },

    scoresAt(ref, refined, x, y) {
      const read = (map: ScoreMap | undefined) =>
        map && x >= 0 && y >= 0 && x < map.width && y < map.height
          ? map.data[y * map.width + x]
          : undefined;
      return {
        raw: read(records.scoreMap(ref, { kind: 'raw' })),
        refined: read(records.scoreMap(ref, refined)),
      };
    },

    histograms(ref, refined, bins, range) {
      const rawMap = records.scoreMap(ref, { kind: 'raw' });
      const refinedMap = records.scoreMap(ref, refined);
      if (!rawMap || !refinedMap) return null;
      const labels = records.record(ref.imageId)?.labels;
      const options = {
        bins,
        range: [range[0], range[1]] as [number, number],
        ...(labels ? { labels } : {}),
      };
      const raw = scoreHistogram(rawMap, options);
      return { raw, refined: refinedMap === rawMap ? raw : scoreHistogram(refinedMap, options) };
    },

    metrics(token, images, refined, options) {
      const entries: MetricsEntry[] = [];
      for (const { imageId, name } of images) {
        const ref = { imageId, token };
        const labels = records.record(imageId)?.labels;
        const scoreMap = records.scoreMap(ref, { kind: 'raw' });
        const refinedScoreMap = records.isComplete(ref)
          ? records.scoreMap(ref, refined)
          : undefined;
        if (labels && scoreMap && refinedScoreMap) {
          entries.push({ image: name, scoreMap, refinedScoreMap, labels });
        }
      }
      if (entries.length === 0) return null;
      // The set usually grows by one image at a time: only the new images are measured.
      if (!metricsSoFar?.isPrefixOf(entries, options)) {
        metricsSoFar = new MetricsPairAccumulator(options);
      }
      for (const entry of entries.slice(metricsSoFar.entries.length)) metricsSoFar.add(entry);
      return metricsSoFar.result();
    },

    viewPng(ref, choice, opacity, colourBar = false) {
      const image = records.image(ref.imageId);
      const base = rgbToRgba(image);
      const layer = choice.kind === 'image' ? null : layerRgba(ref, choice, image);
      const pixels = layer ? compositeOver(base, layer, opacity) : base;
      if (colourBar && layer && choice.kind === 'scores') {
        const barred = withColourBarBelow(
          pixels,
          image.width,
          image.height,
          colourBarStyleOf(choice.style),
        );
        return movable(rgbaToPng(image.width, barred.height, barred.rgba));
      }
      return movable(rgbaToPng(image.width, image.height, pixels));
    },

    scoreMapNpy(ref, map) {
      const scoreMap = records.scoreMap(ref, map);
      if (!scoreMap) throw new Error('That map has not been computed yet.');
      return movable(scoreMapToNpy(scoreMap));
    },

    masksJson(ref) {
      return encodeAutomaticMasks(records.masks(ref) ?? []);
    },
  };
  return service;
}

function resultSink(records: ImageRecords): ResultSinkApi {
  return {
    imagePixels: (imageId) => records.image(imageId),
    putRawMap: (ref, scoreMap) => records.putRawMap(ref, scoreMap),
    putResult: (ref, rest) => records.putResult(ref, rest),
  };
}
