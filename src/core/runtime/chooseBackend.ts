import { chooseWeights, type ChosenPrecisions, type LoadedBundle } from '../bundle/loadBundle';
import type { BundleManifest, ModelRole } from '../bundle/manifestSchema';
import type { WeightPrecision } from '../defaults';
import {
  canaryFeeds,
  compareCanaryOutputs,
  runCanary,
  type CanaryOutputs,
  type CanaryVerdict,
} from './canary';
import { checkModelsFit, type MemoryLimits } from './modelMemory';
import type { ExecutionProvider, OrtApi } from './ort';
import { createBundleSessions, createModelSession, type BundleSessions } from './sessions';
import { choosePrecisions, type PrecisionPreference } from './weightPrecision';
import type { WebGpuProbe } from './webgpuProbe';

/** Which backend actually runs the models, in words a user understands, and why. */
export interface BackendReport {
  provider: 'webgpu' | 'wasm';
  /** "WebGPU (NVIDIA H200)" or "WebAssembly, 2 threads". */
  description: string;
  /** The weight variant each model runs in. */
  precisions: Partial<Record<ModelRole, WeightPrecision>>;
  /** Set when WebGPU was wanted but not used. */
  webGpuUnavailableReason?: string;
  selfCheck?: CanaryVerdict;
}

export interface ChooseBackendOptions {
  webGpu: WebGpuProbe;
  /** The user may turn WebGPU off; the WASM path is then used without a self-check. */
  allowWebGpu: boolean;
  wasmThreads: number;
  /** `auto` or the precision the user asked for. */
  precision: PrecisionPreference;
  limits: MemoryLimits;
  /** Fetches (or takes from the cache) the files of the given precisions, of some models or all. */
  loadWeights: (
    precisions: ChosenPrecisions,
    roles?: readonly ModelRole[],
  ) => Promise<LoadedBundle>;
  /** Test hook: perturb the WebGPU canary so the fallback path can be exercised end to end. */
  corruptWebGpuCanary?: boolean;
}

/** fp16 arithmetic differs from fp32 far more than reordering does, far less than a fault. */
const FP16_CANARY_TOLERANCE = 3e-2;

function wasmDescription(threads: number): string {
  return `WebAssembly, ${threads} thread${threads === 1 ? '' : 's'}`;
}

function precisionsOf(bundle: LoadedBundle): BackendReport['precisions'] {
  const precisions: BackendReport['precisions'] = {};
  for (const [role, weights] of Object.entries(bundle.weights)) {
    precisions[role as ModelRole] = weights.precision;
  }
  return precisions;
}

/**
 * WebGPU against WebAssembly on a canary input, model by model: each WebAssembly reference
 * session is released before the next is built, so at most one extra model is held at a time.
 * References run fp32 weights, so an fp16 model is also checked against the exact one.
 */
async function webGpuSelfCheck(
  ort: OrtApi,
  webGpu: BundleSessions,
  bundle: LoadedBundle,
  options: ChooseBackendOptions,
): Promise<CanaryVerdict> {
  const feeds = canaryFeeds(ort, bundle.manifest);
  const expected: CanaryOutputs = {};
  const actual: CanaryOutputs = {};
  const tolerance: Record<string, number> = {};
  for (const [model, feed] of Object.entries(feeds)) {
    const role: ModelRole = model === 'flow' ? 'flow' : 'decoder';
    const single = { [model]: feed };
    const reference =
      bundle.weights[role]?.precision === 'fp32'
        ? bundle
        : await options.loadWeights({ [role]: 'fp32' }, [role]);
    const session = await createModelSession(ort, reference, role, 'wasm');
    try {
      // runCanary picks the session by the feed's model name; only one feed is given.
      Object.assign(expected, await runCanary({ flow: session, decoder: session }, single));
    } finally {
      await session.release();
    }
    Object.assign(actual, await runCanary(webGpu, single));
    if (bundle.weights[role]?.precision === 'fp16') tolerance[model] = FP16_CANARY_TOLERANCE;
  }
  if (options.corruptWebGpuCanary) {
    for (const outputs of Object.values(actual)) {
      for (const values of Object.values(outputs)) {
        for (let i = 0; i < values.length; i++) values[i] = (values[i] ?? 0) + 100;
      }
    }
  }
  return compareCanaryOutputs(expected, actual, tolerance);
}

/** Sessions keep their own copy of the weights: drop ours, so the bytes are held once. */
function releaseBytes(bundle: LoadedBundle) {
  bundle.files.clear();
}

/**
 * WebGPU first, verified against WASM on a canary input; WASM when there is no adapter, the
 * sessions fail to build on WebGPU, or the canary disagrees. Each provider gets the weight
 * variants chosen for it, refused before download when they cannot fit.
 */
export async function openBundleSessions(
  ort: OrtApi,
  manifest: BundleManifest,
  options: ChooseBackendOptions,
): Promise<{ sessions: BundleSessions; backend: BackendReport }> {
  const shaderF16 = options.webGpu.available && options.webGpu.shaderF16;
  const weightsFor = async (provider: ExecutionProvider) => {
    const precisions = choosePrecisions(manifest, {
      provider,
      shaderF16,
      preference: options.precision,
    });
    checkModelsFit(manifest, chooseWeights(manifest, precisions), provider, options.limits);
    return options.loadWeights(precisions);
  };

  const openWasm = async (reason?: string, selfCheck?: CanaryVerdict) => {
    const bundle = await weightsFor('wasm');
    const sessions = await createBundleSessions(ort, bundle, 'wasm');
    releaseBytes(bundle);
    return {
      sessions,
      backend: {
        provider: 'wasm' as const,
        description: wasmDescription(options.wasmThreads),
        precisions: precisionsOf(bundle),
        ...(reason ? { webGpuUnavailableReason: reason } : {}),
        ...(selfCheck ? { selfCheck } : {}),
      },
    };
  };

  if (!options.allowWebGpu) return openWasm('WebGPU is turned off in the settings.');
  if (!options.webGpu.available) return openWasm(options.webGpu.reason);
  const adapter = options.webGpu;

  const bundle = await weightsFor('webgpu');
  let webGpuSessions: BundleSessions;
  try {
    webGpuSessions = await createBundleSessions(ort, bundle, 'webgpu');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    releaseBytes(bundle);
    return openWasm(`The models could not be set up on WebGPU (${reason}).`);
  }

  let verdict: CanaryVerdict;
  try {
    verdict = await webGpuSelfCheck(ort, webGpuSessions, bundle, options);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    verdict = {
      agrees: false,
      differences: [],
      reason: `WebGPU failed its self-check (${reason}).`,
    };
  }
  releaseBytes(bundle);
  if (verdict.agrees) {
    return {
      sessions: webGpuSessions,
      backend: {
        provider: 'webgpu',
        description: `WebGPU (${adapter.adapterDescription}${adapter.isFallbackAdapter ? ', software' : ''})`,
        precisions: precisionsOf(bundle),
        selfCheck: verdict,
      },
    };
  }
  await webGpuSessions.release();
  return openWasm(verdict.reason, verdict);
}
