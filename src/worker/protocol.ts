/**
 * What the page and the analysis worker say to each other. Everything here is structured-clone
 * data (typed arrays are transferred), never onnxruntime objects.
 */
import type { AnalysisEvent, AnalysisResult } from '../core/analysis';
import type { BundleLoadEvent } from '../core/bundle/loadBundle';
import type { BundleManifest } from '../core/bundle/manifestSchema';
import type { Rgb8Image } from '../core/image';
import type { BackendReport } from '../core/runtime/chooseBackend';
import type { PrecisionPreference } from '../core/runtime/weightPrecision';
import type { AmgPath } from '../core/sam2';
import type { PixelMask, ScoreMap } from '../core/types';

export interface OpenBundleRequest {
  /** Absolute URL of manifest.json. */
  manifestUrl: string;
  allowWebGpu: boolean;
  /** Weight variant: `auto` picks per backend (fp16 on WebGPU with shader-f16, int8 on WASM). */
  precision?: PrecisionPreference;
  /** A device limit for one model in bytes; larger models are refused before download. */
  maxModelBytes?: number;
  /** Test hook for the WebGPU self-check's fallback path. */
  corruptWebGpuCanary?: boolean;
}

export interface OpenedBundle {
  manifestUrl: string;
  manifest: BundleManifest;
  backend: BackendReport;
  /** Where model files are kept between visits. */
  storage: 'cache-storage' | 'memory';
}

export interface AnalyzeRequest {
  /** A newer request cancels an older one with the same id. */
  requestId: string;
  image: Rgb8Image;
  withMasks?: boolean;
  bins?: number;
  /** Automatic-mask path; analyzeImage's default when omitted. */
  amgPath?: AmgPath;
  /** AMG prompt grid side; the bundle's when omitted. */
  pointsPerSide?: number;
}

export interface AnalysisResultMessage extends AnalysisResult {
  requestId: string;
  backend: BackendReport;
}

export interface AnalysisWorkerApi {
  openBundle(
    request: OpenBundleRequest,
    onEvent: (event: BundleLoadEvent) => void,
  ): Promise<OpenedBundle>;
  analyze(
    request: AnalyzeRequest,
    onEvent: (event: AnalysisEvent) => void,
  ): Promise<AnalysisResultMessage>;
  /** Stops the bundle load in progress, if any; the open bundle stays in use. */
  cancelOpenBundle(): void;
  cancel(requestId: string): void;
  /** Algorithm 1 off the main thread, for bin-count changes (no model runs). */
  smooth(scoreMap: ScoreMap, masks: PixelMask[], bins: number): Promise<ScoreMap>;
}
