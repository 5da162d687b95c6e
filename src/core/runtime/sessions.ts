import { BACKBONE_LAYOUT_RULES } from '../anomaly/featureMap';
import type { LoadedBundle, ModelWeights } from '../bundle/loadBundle';
import { MODEL_ROLE_NAMES, modelRoles, type ModelRole } from '../bundle/manifestSchema';
import { FlowclasError } from '../errors';
import { checkModelContract, expectationsFor, type ModelExpectation } from './modelContract';
import { asModelTooBig } from './modelMemory';
import type { ExecutionProvider, InferenceSession, OrtApi } from './ort';
import { reportRunFailures } from './runFailures';

/** A model file that onnxruntime refused (not ONNX, unsupported operator, out of memory, ...). */
export class ModelLoadError extends FlowclasError {
  constructor(model: string, file: string, provider: ExecutionProvider, reason: string) {
    super(
      'model-load',
      `The ${model} model (${file}) could not be loaded on ${provider.toUpperCase()}: ${reason}`,
    );
    this.name = 'ModelLoadError';
  }
}

/** One session per model of a bundle, all on the same execution provider. */
export interface BundleSessions {
  provider: ExecutionProvider;
  backbone: InferenceSession;
  flow: InferenceSession;
  encoder?: InferenceSession;
  decoder?: InferenceSession;
  /** Frees every session (GPU memory included); the object must not be used afterwards. */
  release(): Promise<void>;
}

const roleOf: Record<ModelExpectation['model'], ModelRole> = {
  backbone: 'backbone',
  flow: 'flow',
  'segmenter encoder': 'encoder',
  'segmenter decoder': 'decoder',
};

/** The folder part of a manifest-relative path ("" for the bundle root). */
const folderOf = (file: string) => file.slice(0, file.lastIndexOf('/') + 1);

/**
 * External-data files as onnxruntime takes them: each `path` as the graph names it, i.e.
 * relative to the model file's folder, with the bytes.
 */
function externalDataFor(
  bundle: LoadedBundle,
  weights: ModelWeights,
): { path: string; data: Uint8Array }[] {
  const folder = folderOf(weights.file);
  return weights.externalData.map((file) => {
    const data = bundle.files.get(file);
    if (!data) throw new Error(`${file} is not loaded`);
    return { path: file.startsWith(folder) ? file.slice(folder.length) : file, data };
  });
}

/**
 * Outputs that only feed another model stay on the GPU under WebGPU: the encoder's features
 * are reused by every decoder batch, and a map-layout backbone feeds the flow as it is.
 */
function sessionOptions(
  bundle: LoadedBundle,
  role: ModelRole,
  provider: ExecutionProvider,
  cpuThreads: number | undefined,
  externalData: { path: string; data: Uint8Array }[],
): InferenceSession.SessionOptions {
  const options: InferenceSession.SessionOptions = {
    executionProviders: [provider],
    ...(externalData.length > 0 ? { externalData } : {}),
    graphOptimizationLevel: 'all',
    ...(provider === 'cpu' && cpuThreads ? { intraOpNumThreads: cpuThreads } : {}),
    // Each session has its own intra-op pool, whose threads otherwise spin after every run and
    // take cores from the next session's run and from our post-processing between runs.
    ...(provider === 'cpu' ? { extra: { session: { intra_op: { allow_spinning: '0' } } } } : {}),
  };
  const keepOnGpu =
    provider === 'webgpu' &&
    (role === 'encoder' ||
      (role === 'backbone' &&
        BACKBONE_LAYOUT_RULES[bundle.manifest.backbone.layout].feedsFlowUnchanged));
  if (keepOnGpu) options.preferredOutputLocation = 'gpu-buffer';
  return options;
}

/** Creates one model's session and checks it against the contract; frees it when that fails. */
export async function createModelSession(
  ort: OrtApi,
  bundle: LoadedBundle,
  role: ModelRole,
  provider: ExecutionProvider,
  cpuThreads?: number,
): Promise<InferenceSession> {
  const expectation = expectationsFor(bundle.manifest).find(
    (candidate) => roleOf[candidate.model] === role,
  );
  const weights = bundle.weights[role];
  const file = weights?.file ?? '';
  const model = MODEL_ROLE_NAMES[role];
  const bytes = bundle.files.get(file);
  if (!expectation || !weights || !bytes) {
    throw new ModelLoadError(model, file, provider, 'file not loaded');
  }
  let session: InferenceSession;
  try {
    session = await ort.InferenceSession.create(
      bytes,
      sessionOptions(bundle, role, provider, cpuThreads, externalDataFor(bundle, weights)),
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw (
      asModelTooBig(reason, bundle.manifest, role, weights, provider) ??
      new ModelLoadError(model, file, provider, reason)
    );
  }
  try {
    checkModelContract(session, expectation);
  } catch (error) {
    await session.release();
    throw error;
  }
  // onnxruntime holds its own copy of the weights now: drop ours, so they are held once.
  for (const used of [weights.file, ...weights.externalData]) bundle.files.delete(used);
  return reportRunFailures(session, model, file);
}

/**
 * Creates and contract-checks every model's session in pipeline order; on failure, frees what was
 * created. `bundleFor(role)` hands over a bundle holding that model's bytes (the whole bundle, or
 * one fetched model at a time so that only one model's bytes exist outside onnxruntime at once).
 * `cpuThreads` sets onnxruntime-node's intra-op threads (WASM threads are set globally).
 */
export async function createSessionsModelByModel(
  ort: OrtApi,
  manifest: LoadedBundle['manifest'],
  provider: ExecutionProvider,
  bundleFor: (role: ModelRole) => Promise<LoadedBundle>,
  cpuThreads?: number,
): Promise<BundleSessions> {
  const created: Partial<Record<ModelRole, InferenceSession>> = {};
  const releaseAll = async () => {
    await Promise.all(Object.values(created).map((session) => session.release()));
  };
  try {
    for (const role of modelRoles(manifest)) {
      created[role] = await createModelSession(
        ort,
        await bundleFor(role),
        role,
        provider,
        cpuThreads,
      );
    }
  } catch (error) {
    await releaseAll();
    throw error;
  }
  const { backbone, flow, encoder, decoder } = created;
  if (!backbone || !flow) throw new Error('bundle sessions: backbone and flow are always created');
  return { provider, backbone, flow, encoder, decoder, release: releaseAll };
}

/** Every session of a bundle whose bytes are all loaded. */
export function createBundleSessions(
  ort: OrtApi,
  bundle: LoadedBundle,
  provider: ExecutionProvider,
  cpuThreads?: number,
): Promise<BundleSessions> {
  return createSessionsModelByModel(ort, bundle.manifest, provider, async () => bundle, cpuThreads);
}
