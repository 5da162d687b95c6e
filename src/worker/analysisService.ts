/** The worker's state: one open bundle with its sessions, and the analyses running on it. */
import { transfer, wrap, type Remote } from 'comlink';
import { analyzeImage } from '../core/analysis';
import { fetchManifest, loadWeights, type BundleLoadEvent } from '../core/bundle/loadBundle';
import type { BundleManifest } from '../core/bundle/manifestSchema';
import {
  createCacheStorageCache,
  createMemoryCache,
  type BundleFileCache,
} from '../core/bundle/fileCache';
import { createFetchSource } from '../core/bundle/fileSource';
import { FlowclasError } from '../core/errors';
import { openBundleSessions, type BackendReport } from '../core/runtime/chooseBackend';
import { WASM_WEIGHT_BUDGET_BYTES } from '../core/runtime/modelMemory';
import type { BundleSessions } from '../core/runtime/sessions';
import { probeWebGpu } from '../core/runtime/webgpuProbe';
import type { ScoreMap } from '../core/types';
import { loadOrtWeb } from './ortWeb';
import type {
  AnalysisProgressEvent,
  AnalysisSummary,
  AnalysisWorkerApi,
  AnalyzeRequest,
  OpenBundleRequest,
  OpenedBundle,
} from './protocol';
import type { ResultSinkApi } from './viewProtocol';

interface OpenState {
  manifestUrl: string;
  manifest: BundleManifest;
  sessions: BundleSessions;
  backend: BackendReport;
}

function bundleCache(): BundleFileCache {
  return typeof caches === 'undefined' ? createMemoryCache() : createCacheStorageCache(caches);
}

/** A copy that can be transferred while the original stays in use. */
const copyOf = (map: ScoreMap): ScoreMap => ({ ...map, data: map.data.slice() });

export class AnalysisService implements AnalysisWorkerApi {
  private state: OpenState | undefined;
  private readonly running = new Map<string, AbortController>();
  private opening: AbortController | undefined;
  private views: Remote<ResultSinkApi> | undefined;

  connectViews(port: MessagePort): void {
    this.views = wrap<ResultSinkApi>(port);
  }

  async openBundle(
    request: OpenBundleRequest,
    onEvent: (event: BundleLoadEvent) => void,
  ): Promise<OpenedBundle> {
    this.opening?.abort(new FlowclasError('cancelled', 'A newer bundle was asked for.'));
    const controller = new AbortController();
    this.opening = controller;
    try {
      const cache = bundleCache();
      let storage: OpenedBundle['storage'] = cache.kind;
      const source = createFetchSource();
      const manifest = await fetchManifest(source, request.manifestUrl);
      onEvent({ kind: 'manifest', manifest });
      const { api, wasmThreads } = await loadOrtWeb();
      const gpu = (navigator as Navigator & { gpu?: Parameters<typeof probeWebGpu>[0] }).gpu;
      const opened = await openBundleSessions(api, manifest, {
        webGpu: await probeWebGpu(gpu),
        allowWebGpu: request.allowWebGpu,
        wasmThreads,
        precision: request.precision ?? 'auto',
        limits: {
          wasmWeightBytes: WASM_WEIGHT_BUDGET_BYTES,
          ...(request.maxModelBytes !== undefined ? { maxModelBytes: request.maxModelBytes } : {}),
        },
        loadWeights: (precisions, roles) =>
          loadWeights({
            manifestUrl: request.manifestUrl,
            manifest,
            source,
            cache,
            precisions,
            ...(roles ? { roles } : {}),
            signal: controller.signal,
            onEvent: (event) => {
              if (event.kind === 'cache-unavailable') storage = 'memory';
              onEvent(event);
            },
          }),
        onPlan: (files) => onEvent({ kind: 'plan', files }),
        corruptWebGpuCanary: request.corruptWebGpuCanary,
      });
      if (controller.signal.aborted) {
        await opened.sessions.release();
        controller.signal.throwIfAborted();
      }
      await this.close();
      this.state = { manifestUrl: request.manifestUrl, manifest, ...opened };
      return { manifestUrl: request.manifestUrl, manifest, backend: opened.backend, storage };
    } finally {
      if (this.opening === controller) this.opening = undefined;
    }
  }

  /** Stops a bundle load between (or during) file downloads; the open bundle stays in use. */
  cancelOpenBundle(): void {
    this.opening?.abort(new FlowclasError('cancelled', 'Loading the bundle was cancelled.'));
  }

  async analyze(
    request: AnalyzeRequest,
    onEvent: (event: AnalysisProgressEvent) => void,
  ): Promise<AnalysisSummary> {
    const state = this.state;
    const views = this.views;
    if (!state) throw new FlowclasError('no-bundle', 'No model bundle is loaded yet.');
    if (!views) throw new FlowclasError('no-views', 'The view worker is not connected.');
    this.cancel(request.requestId);
    const controller = new AbortController();
    this.running.set(request.requestId, controller);
    const ref = { imageId: request.imageId, token: request.token };
    try {
      const { api } = await loadOrtWeb();
      const image = await views.imagePixels(request.imageId);
      controller.signal.throwIfAborted();
      let rawHandedOver = false;
      const result = await analyzeImage(api, state.sessions, state.manifest, image, {
        withMasks: request.withMasks,
        bins: request.bins,
        amgPath: request.amgPath,
        pointsPerSide: request.pointsPerSide,
        signal: controller.signal,
        onEvent: (event) => {
          if (event.kind === 'mask-progress') {
            onEvent(event);
            return;
          }
          // The raw map is shown as soon as it exists; smoothing still needs it here, so the
          // view worker gets a copy (the only time this map crosses threads).
          const copy = copyOf(event.scoreMap);
          rawHandedOver = true;
          return views
            .putRawMap(ref, transfer(copy, [copy.data.buffer]))
            .then(() => onEvent({ kind: 'score-map', timings: event.timings }));
        },
      });
      if (!rawHandedOver) {
        await views.putRawMap(ref, transfer(result.scoreMap, [result.scoreMap.data.buffer]));
      }
      const { masks, refinedScoreMap, likelihoodGrid, bins, width, height, timings } = result;
      const buffers: Transferable[] = [likelihoodGrid.data.buffer as ArrayBuffer];
      if (refinedScoreMap) buffers.push(refinedScoreMap.data.buffer as ArrayBuffer);
      for (const automaticMask of masks ?? []) {
        buffers.push(automaticMask.mask.pixels.buffer as ArrayBuffer);
      }
      await views.putResult(
        ref,
        transfer({ masks, refinedScoreMap, likelihoodGrid, bins, width, height }, buffers),
      );
      return {
        requestId: request.requestId,
        width,
        height,
        maskCount: masks ? masks.length : null,
        bins,
        timings,
        backend: state.backend,
      };
    } finally {
      if (this.running.get(request.requestId) === controller)
        this.running.delete(request.requestId);
    }
  }

  cancel(requestId: string): void {
    this.running
      .get(requestId)
      ?.abort(new FlowclasError('cancelled', 'The analysis was cancelled.'));
    this.running.delete(requestId);
  }

  private async close(): Promise<void> {
    for (const requestId of [...this.running.keys()]) this.cancel(requestId);
    await this.state?.sessions.release();
    this.state = undefined;
  }
}
