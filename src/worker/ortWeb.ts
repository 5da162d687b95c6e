/**
 * onnxruntime-web for the worker. Loaded with a dynamic import so the bundler keeps it in its
 * own chunk: its WASM threads re-load that chunk (not our worker) as their script, and Vite emits
 * the .wasm it references beside it, so nothing is fetched from a CDN.
 */
import type { OrtApi } from '../core/runtime/ort';

export interface OrtWeb {
  api: OrtApi;
  wasmThreads: number;
}

let loading: Promise<OrtWeb> | undefined;

export function loadOrtWeb(): Promise<OrtWeb> {
  loading ??= import('onnxruntime-web').then((ort) => {
    // Threads need SharedArrayBuffer, i.e. a cross-origin isolated page (COOP + COEP headers).
    const wasmThreads = self.crossOriginIsolated
      ? Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1))
      : 1;
    ort.env.wasm.numThreads = wasmThreads;
    ort.env.logLevel = 'error';
    return { api: ort as unknown as OrtApi, wasmThreads };
  });
  return loading;
}
