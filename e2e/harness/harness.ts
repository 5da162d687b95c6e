/**
 * Browser test harness: the real analysis worker, driven without the UI so e2e tests can compare
 * numbers with the factory's goldens. Exposed as window.flowclasHarness.
 */
import { expose, transfer } from 'comlink';
import { decodeImageFile } from '../../src/app/images/decodeImageFile';
import type { Rgb8Image } from '../../src/core/image';
import { rgb8FromPng } from '../../src/core/io/pngImage';
import { pixelMaskToRle } from '../../src/core/sam2';
import type { ScoreMap } from '../../src/core/types';
import { callback, createAnalysisClient } from '../../src/worker/analysisClient';
import type { OpenBundleRequest } from '../../src/worker/protocol';
import type { ResultRest, ResultSinkApi } from '../../src/worker/viewProtocol';

const { client } = createAnalysisClient();

/** The harness stands in for the view worker: it lends the image and takes the result. */
let current: { image?: Rgb8Image; scoreMap?: ScoreMap; rest?: ResultRest } = {};
const sink: ResultSinkApi = {
  imagePixels: () => {
    if (!current.image) throw new Error('no image');
    return current.image;
  },
  putRawMap: (_ref, scoreMap) => {
    current.scoreMap = scoreMap;
  },
  putResult: (_ref, rest) => {
    current.rest = rest;
  },
};
const channel = new MessageChannel();
expose(sink, channel.port1);
void client.connectViews(transfer(channel.port2, [channel.port2]));

// Main-thread long tasks (> 50 ms), e.g. while a big bundle loads in the worker.
const longTasks: number[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) longTasks.push(entry.duration);
}).observe({ type: 'longtask', buffered: true });

const harness = {
  async open(
    manifestUrl: string,
    allowWebGpu: boolean,
    corruptWebGpuCanary = false,
    extra: Pick<OpenBundleRequest, 'precision' | 'maxModelBytes'> = {},
  ) {
    const progress: string[] = [];
    const opened = await client.openBundle(
      {
        manifestUrl: new URL(manifestUrl, location.href).href,
        allowWebGpu,
        corruptWebGpuCanary,
        ...extra,
      },
      callback((event) => {
        if (event.kind === 'file-ready')
          progress.push(`${event.file}:${event.fromCache ? 'cache' : 'network'}`);
      }),
    );
    return {
      backend: opened.backend,
      storage: opened.storage,
      progress,
      crossOriginIsolated: self.crossOriginIsolated,
    };
  },

  /** Whether the page's WebGPU adapter computes in float16 (null: no adapter). */
  async adapterHasShaderF16() {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    const adapter = (await gpu?.requestAdapter()) as
      { features: { has(name: string): boolean } } | null | undefined;
    return adapter ? adapter.features.has('shader-f16') : null;
  },

  /** The app's own decoder on a file's bytes (base64): RGB8 as base64, or the error message. */
  async decode(fileBase64: string, name: string) {
    const bytes = Uint8Array.from(atob(fileBase64), (char) => char.charCodeAt(0));
    try {
      const image = await decodeImageFile(new Blob([bytes]), name);
      let binary = '';
      for (const value of image.data) binary += String.fromCharCode(value);
      return { width: image.width, height: image.height, rgbBase64: btoa(binary) };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  },

  /** Durations of the main thread's long tasks since the last call. */
  takeLongTasks() {
    return longTasks.splice(0);
  },

  /** `decoder`: "png" (default) reads the golden PNGs exactly; "app" is the app's own decoder. */
  async analyze(
    imageUrl: string,
    { decoder = 'png', ...options }: { pointsPerSide?: number; decoder?: 'png' | 'app' } = {},
  ) {
    const bytes = new Uint8Array(await (await fetch(imageUrl)).arrayBuffer());
    const decodeStarted = performance.now();
    const image =
      decoder === 'png'
        ? rgb8FromPng(bytes, imageUrl)
        : await decodeImageFile(new Blob([bytes]), imageUrl);
    const decodeMs = performance.now() - decodeStarted;
    current = { image };
    const result = await client.analyze(
      { requestId: 'harness', imageId: 'harness', token: 'harness', ...options },
      callback(() => undefined),
    );
    const { scoreMap, rest } = current;
    if (!scoreMap || !rest) throw new Error('The analysis handed over no result.');
    return {
      width: result.width,
      height: result.height,
      bins: result.bins,
      likelihood: Array.from(rest.likelihoodGrid.data),
      score: Array.from(scoreMap.data),
      refined: rest.refinedScoreMap ? Array.from(rest.refinedScoreMap.data) : null,
      masks: (rest.masks ?? []).map((automaticMask) => ({
        rle: pixelMaskToRle(automaticMask.mask),
        predictedIou: automaticMask.predictedIou,
      })),
      timings: { decode: decodeMs, ...result.timings },
      backend: result.backend,
    };
  },
};

(window as unknown as { flowclasHarness: typeof harness }).flowclasHarness = harness;
document.body.dataset.ready = 'true';
