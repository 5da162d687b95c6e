/** The worker's state: one open bundle with its sessions, and the analyses running on it. */
import { transfer } from 'comlink';
import { analyzeImage, type AnalysisEvent } from '../core/analysis';
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
import { smoothScoreMap } from '../core/smoothing';
import type { PixelMask, ScoreMap } from '../core/types';
import { loadOrtWeb } from './ortWeb';
import type {
  AnalysisResultMessage,
  AnalysisWorkerApi,
  AnalyzeRequest,
  OpenBundleRequest,
  OpenedBundle,
} from './protocol';

interface OpenState {
  manifestUrl: string;
  manifest: BundleManifest;
  sessions: BundleSessions;
  backend: BackendReport;
}

function bundleCache(): BundleFileCache {
  return typeof caches === 'undefined' ? createMemoryCache() : createCacheStorageCache(caches);
}

/** Buffers of a result, so they move to the page instead of being copied. */
function transferables(result: AnalysisResultMessage): Transferable[] {
  const buffers = new Set<ArrayBufferLike>([
    result.scoreMap.data.buffer,
    result.likelihoodGrid.data.buffer,
  ]);
  if (result.refinedScoreMap) buffers.add(result.refinedScoreMap.data.buffer);
  for (const automaticMask of result.masks ?? []) buffers.add(automaticMask.mask.pixels.buffer);
  return [...buffers] as Transferable[];
}

export class AnalysisService implements AnalysisWorkerApi {
  private state: OpenState | undefined;
  private readonly running = new Map<string, AbortController>();
  private opening: AbortController | undefined;

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
    onEvent: (event: AnalysisEvent) => void,
  ): Promise<AnalysisResultMessage> {
    const state = this.state;
    if (!state) throw new FlowclasError('no-bundle', 'No model bundle is loaded yet.');
    this.cancel(request.requestId);
    const controller = new AbortController();
    this.running.set(request.requestId, controller);
    try {
      const { api } = await loadOrtWeb();
      const result = await analyzeImage(api, state.sessions, state.manifest, request.image, {
        withMasks: request.withMasks,
        bins: request.bins,
        amgPath: request.amgPath,
        pointsPerSide: request.pointsPerSide,
        signal: controller.signal,
        // The raw map is copied (not transferred): the final result still needs it.
        onEvent,
      });
      const message: AnalysisResultMessage = {
        requestId: request.requestId,
        ...result,
        backend: state.backend,
      };
      return transfer(message, transferables(message));
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

  async smooth(scoreMap: ScoreMap, masks: PixelMask[], bins: number): Promise<ScoreMap> {
    const refined = smoothScoreMap(scoreMap, masks, bins);
    return transfer(refined, [refined.data.buffer as ArrayBuffer]);
  }

  private async close(): Promise<void> {
    for (const requestId of [...this.running.keys()]) this.cancel(requestId);
    await this.state?.sessions.release();
    this.state = undefined;
  }
}
