import type { LoadedBundle } from '../bundle/loadBundle';
import { canaryFeeds, compareCanaryOutputs, runCanary, type CanaryVerdict } from './canary';
import type { OrtApi } from './ort';
import { createBundleSessions, type BundleSessions } from './sessions';
import type { WebGpuProbe } from './webgpuProbe';

/** Which backend actually runs the models, in words a user understands, and why. */
export interface BackendReport {
  provider: 'webgpu' | 'wasm';
  /** "WebGPU (NVIDIA H200)" or "WebAssembly, 2 threads". */
  description: string;
  /** Set when WebGPU was wanted but not used. */
  webGpuUnavailableReason?: string;
  selfCheck?: CanaryVerdict;
}

export interface ChooseBackendOptions {
  webGpu: WebGpuProbe;
  /** The user may turn WebGPU off; the WASM path is then used without a self-check. */
  allowWebGpu: boolean;
  wasmThreads: number;
  /** Test hook: perturb the WebGPU canary so the fallback path can be exercised end to end. */
  corruptWebGpuCanary?: boolean;
}

function wasmDescription(threads: number): string {
  return `WebAssembly, ${threads} thread${threads === 1 ? '' : 's'}`;
}

/**
 * WebGPU first, verified against WASM on a canary input; WASM when there is no adapter, the
 * sessions fail to build on WebGPU, or the canary disagrees.
 */
export async function openBundleSessions(
  ort: OrtApi,
  bundle: LoadedBundle,
  options: ChooseBackendOptions,
): Promise<{ sessions: BundleSessions; backend: BackendReport }> {
  const openWasm = async (reason?: string, selfCheck?: CanaryVerdict) => ({
    sessions: await createBundleSessions(ort, bundle, 'wasm'),
    backend: {
      provider: 'wasm' as const,
      description: wasmDescription(options.wasmThreads),
      ...(reason ? { webGpuUnavailableReason: reason } : {}),
      ...(selfCheck ? { selfCheck } : {}),
    },
  });

  if (!options.allowWebGpu) return openWasm('WebGPU is turned off in the settings.');
  if (!options.webGpu.available) return openWasm(options.webGpu.reason);

  let webGpuSessions: BundleSessions;
  try {
    webGpuSessions = await createBundleSessions(ort, bundle, 'webgpu');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return openWasm(`The models could not be set up on WebGPU (${reason}).`);
  }

  const feeds = canaryFeeds(ort, bundle.manifest);
  const wasmReference = await createBundleSessions(ort, bundle, 'wasm');
  let verdict: CanaryVerdict;
  try {
    const expected = await runCanary(wasmReference, feeds);
    const actual = await runCanary(webGpuSessions, feeds);
    if (options.corruptWebGpuCanary) {
      for (const outputs of Object.values(actual)) {
        for (const values of Object.values(outputs)) {
          for (let i = 0; i < values.length; i++) values[i] = (values[i] ?? 0) + 100;
        }
      }
    }
    verdict = compareCanaryOutputs(expected, actual);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    verdict = {
      agrees: false,
      differences: [],
      reason: `WebGPU failed its self-check (${reason}).`,
    };
  }
  if (verdict.agrees) {
    await wasmReference.release();
    return {
      sessions: webGpuSessions,
      backend: {
        provider: 'webgpu',
        description: `WebGPU (${options.webGpu.adapterDescription}${options.webGpu.isFallbackAdapter ? ', software' : ''})`,
        selfCheck: verdict,
      },
    };
  }
  await webGpuSessions.release();
  return {
    sessions: wasmReference,
    backend: {
      provider: 'wasm',
      description: wasmDescription(options.wasmThreads),
      webGpuUnavailableReason: verdict.reason,
      selfCheck: verdict,
    },
  };
}
