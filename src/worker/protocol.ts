/**
 * What the page and the analysis worker say to each other: small messages only. Image pixels
 * come from the view worker and results go to it, over the two workers' own port (viewProtocol).
 */
import type { StageTimings } from '../core/analysis';
import type { MaskProgress } from '../core/analysis/automaticMasks';
import type { BundleLoadEvent } from '../core/bundle/loadBundle';
import type { BundleManifest } from '../core/bundle/manifestSchema';
import type { BackendReport } from '../core/runtime/chooseBackend';
import type { PrecisionPreference } from '../core/runtime/weightPrecision';
import type { AmgPath } from '../core/sam2';

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
  /** The image (its pixels are in the view worker) and the token its results are kept under. */
  imageId: string;
  token: string;
  withMasks?: boolean;
  bins?: number;
  /** Automatic-mask path; analyzeImage's default when omitted. */
  amgPath?: AmgPath;
  /** AMG prompt grid side; the bundle's when omitted. */
  pointsPerSide?: number;
}

/** What the page hears while an analysis runs (the maps themselves go to the view worker). */
export type AnalysisProgressEvent =
  { kind: 'score-map'; timings: StageTimings } | { kind: 'mask-progress'; progress: MaskProgress };

/** A finished analysis, as the page sees it; its maps and masks are in the view worker. */
export interface AnalysisSummary {
  requestId: string;
  width: number;
  height: number;
  /** Number of automatic masks; null when the bundle has no segmenter. */
  maskCount: number | null;
  /** Bin count the worker smoothed with (the bundle's, unless asked otherwise). */
  bins: number;
  timings: StageTimings;
  backend: BackendReport;
}

export interface AnalysisWorkerApi {
  openBundle(
    request: OpenBundleRequest,
    onEvent: (event: BundleLoadEvent) => void,
  ): Promise<OpenedBundle>;
  /** Joins the view worker: the port serves its ResultSinkApi. */
  connectViews(port: MessagePort): void;
  analyze(
    request: AnalyzeRequest,
    onEvent: (event: AnalysisProgressEvent) => void,
  ): Promise<AnalysisSummary>;
  /** Stops the bundle load in progress, if any; the open bundle stays in use. */
  cancelOpenBundle(): void;
  cancel(requestId: string): void;
}
