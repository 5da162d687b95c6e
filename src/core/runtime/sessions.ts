import type { LoadedBundle } from '../bundle/loadBundle';
import { FlowclasError } from '../errors';
import { checkModelContract, expectationsFor, type ModelExpectation } from './modelContract';
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

type ModelKey = 'backbone' | 'flow' | 'encoder' | 'decoder';

const keyOf: Record<ModelExpectation['model'], ModelKey> = {
  backbone: 'backbone',
  flow: 'flow',
  'segmenter encoder': 'encoder',
  'segmenter decoder': 'decoder',
};

function fileOf(bundle: LoadedBundle, key: ModelKey): string {
  const { manifest } = bundle;
  switch (key) {
    case 'backbone':
      return manifest.backbone.file;
    case 'flow':
      return manifest.flow.file;
    case 'encoder':
      return manifest.segmenter?.encoder.file ?? '';
    case 'decoder':
      return manifest.segmenter?.decoder.file ?? '';
  }
}

/**
 * Outputs that only feed another model stay on the GPU under WebGPU: the encoder's features
 * are reused by every decoder batch, and a map-layout backbone feeds the flow as it is.
 */
function sessionOptions(
  bundle: LoadedBundle,
  key: ModelKey,
  provider: ExecutionProvider,
  cpuThreads: number | undefined,
): InferenceSession.SessionOptions {
  const options: InferenceSession.SessionOptions = {
    executionProviders: [provider],
    graphOptimizationLevel: 'all',
    ...(provider === 'cpu' && cpuThreads ? { intraOpNumThreads: cpuThreads } : {}),
    // Each session has its own intra-op pool, whose threads otherwise spin after every run and
    // take cores from the next session's run and from our post-processing between runs.
    ...(provider === 'cpu' ? { extra: { session: { intra_op: { allow_spinning: '0' } } } } : {}),
  };
  const keepOnGpu =
    provider === 'webgpu' &&
    (key === 'encoder' || (key === 'backbone' && bundle.manifest.backbone.layout === 'map'));
  if (keepOnGpu) options.preferredOutputLocation = 'gpu-buffer';
  return options;
}

/**
 * Creates and contract-checks every session of the bundle; on failure, frees what was created.
 * `cpuThreads` sets onnxruntime-node's intra-op threads (WASM threads are set globally).
 */
export async function createBundleSessions(
  ort: OrtApi,
  bundle: LoadedBundle,
  provider: ExecutionProvider,
  cpuThreads?: number,
): Promise<BundleSessions> {
  const created: Partial<Record<ModelKey, InferenceSession>> = {};
  const releaseAll = async () => {
    await Promise.all(Object.values(created).map((session) => session.release()));
  };
  try {
    for (const expectation of expectationsFor(bundle.manifest)) {
      const key = keyOf[expectation.model];
      const file = fileOf(bundle, key);
      const bytes = bundle.files.get(file);
      if (!bytes) throw new ModelLoadError(expectation.model, file, provider, 'file not loaded');
      let session: InferenceSession;
      try {
        session = await ort.InferenceSession.create(
          bytes,
          sessionOptions(bundle, key, provider, cpuThreads),
        );
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new ModelLoadError(expectation.model, file, provider, reason);
      }
      created[key] = reportRunFailures(session, expectation.model, file);
      checkModelContract(session, expectation);
    }
  } catch (error) {
    await releaseAll();
    throw error;
  }
  const { backbone, flow, encoder, decoder } = created;
  if (!backbone || !flow) throw new Error('bundle sessions: backbone and flow are always created');
  return { provider, backbone, flow, encoder, decoder, release: releaseAll };
}
