import {
  chooseWeights,
  plannedFiles,
  type ChosenPrecisions,
  type LoadedBundle,
  type PlannedFile,
} from '../bundle/loadBundle';
import { FlowclasError } from '../errors';
import type { BundleManifest, ModelRole } from '../bundle/manifestSchema';
import type { WeightPrecision } from '../defaults';
import {
  canaryFeeds,
  compareCanaryOutputs,
  runCanary,
  type CanaryOutputs,
  type CanaryVerdict,
} from './canary';
import { checkModelsFit, ModelTooBigError, type MemoryLimits } from './modelMemory';
import type { ExecutionProvider, OrtApi } from './ort';
import { createModelSession, createSessionsModelByModel, type BundleSessions } from './sessions';
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
  /** Told the files each backend attempt will fetch, before the first of them. */
  onPlan?: (files: PlannedFile[]) => void;
  /** Test hook: perturb the WebGPU canary so the fallback path can be exercised end to end. */
  corruptWebGpuCanary?: boolean;
}

/** fp16 arithmetic differs from fp32 far more than reordering does, far less than a fault. */
const FP16_CANARY_TOLERANCE = 3e-2;

const isCancellation = (error: unknown) =>
  error instanceof FlowclasError && error.code === 'cancelled';

function wasmDescription(threads: number): string {
  return `WebAssembly, ${threads} thread${threads === 1 ? '' : 's'}`;
}

/**
 * WebGPU against WebAssembly on a canary input, model by model: each WebAssembly reference
 * session runs the model's fp32 weights (from the cache by now, or fetched for an fp16 model)
 * and is released before the next is built, so at most one extra model is held at a time.
 */
async function webGpuSelfCheck(
  ort: OrtApi,
  webGpu: BundleSessions,
  manifest: BundleManifest,
  precisions: ChosenPrecisions,
  options: ChooseBackendOptions,
): Promise<CanaryVerdict> {
  const feeds = canaryFeeds(ort, manifest);
  const expected: CanaryOutputs = {};
  const actual: CanaryOutputs = {};
  const tolerance: Record<string, number> = {};
  for (const [model, feed] of Object.entries(feeds)) {
    const role: ModelRole = model === 'flow' ? 'flow' : 'decoder';
    const single = { [model]: feed };
    const reference = await options.loadWeights({ [role]: 'fp32' }, [role]);
    const session = await createModelSession(ort, reference, role, 'wasm');
    try {
      // runCanary picks the session by the feed's model name; only one feed is given.
      Object.assign(expected, await runCanary({ flow: session, decoder: session }, single));
    } finally {
      await session.release();
    }
    Object.assign(actual, await runCanary(webGpu, single));
    if (precisions[role] === 'fp16') tolerance[model] = FP16_CANARY_TOLERANCE;
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
  /**
   * One model at a time: fetch its files, create its session, drop its bytes, then the next, so
   * the bytes outside onnxruntime never exceed one model's.
   */
  const openOn = async (provider: ExecutionProvider) => {
    const precisions = choosePrecisions(manifest, {
      provider,
      shaderF16,
      preference: options.precision,
    });
    const weights = chooseWeights(manifest, precisions);
    checkModelsFit(manifest, weights, provider, options.limits);
    options.onPlan?.(plannedFiles(manifest, weights));
    // Each model's bytes are dropped once its session exists (createModelSession).
    const sessions = await createSessionsModelByModel(ort, manifest, provider, (role) =>
      options.loadWeights(precisions, [role]),
    );
    const report: BackendReport['precisions'] = {};
    for (const [role, modelWeights] of Object.entries(weights)) {
      report[role as ModelRole] = modelWeights.precision;
    }
    return { sessions, precisions, report };
  };

  const openWasm = async (reason?: string, selfCheck?: CanaryVerdict) => {
    const { sessions, report } = await openOn('wasm');
    return {
      sessions,
      backend: {
        provider: 'wasm' as const,
        description: wasmDescription(options.wasmThreads),
        precisions: report,
        ...(reason ? { webGpuUnavailableReason: reason } : {}),
        ...(selfCheck ? { selfCheck } : {}),
      },
    };
  };

  if (!options.allowWebGpu) return openWasm('WebGPU is turned off in the settings.');
  if (!options.webGpu.available) return openWasm(options.webGpu.reason);
  const adapter = options.webGpu;

  let webGpu: Awaited<ReturnType<typeof openOn>>;
  try {
    webGpu = await openOn('webgpu');
  } catch (error) {
    if (error instanceof ModelTooBigError || isCancellation(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    return openWasm(`The models could not be set up on WebGPU (${reason}).`);
  }

  let verdict: CanaryVerdict;
  try {
    verdict = await webGpuSelfCheck(ort, webGpu.sessions, manifest, webGpu.precisions, options);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    verdict = {
      agrees: false,
      differences: [],
      reason: `WebGPU failed its self-check (${reason}).`,
    };
  }
  if (verdict.agrees) {
    return {
      sessions: webGpu.sessions,
      backend: {
        provider: 'webgpu',
        description: `WebGPU (${adapter.adapterDescription}${adapter.isFallbackAdapter ? ', software' : ''})`,
        precisions: webGpu.report,
        selfCheck: verdict,
      },
    };
  }
  await webGpu.sessions.release();
  return openWasm(verdict.reason, verdict);
}
