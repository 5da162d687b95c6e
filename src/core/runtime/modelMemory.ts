/**
 * Whether the chosen weights can fit before anything is downloaded, and the words for a model
 * that does not. wasm32 memory is at most 4 GiB for everything onnxruntime-web holds (all weights
 * of all sessions plus working memory); a WebGPU adapter caps each buffer; a device may be
 * smaller still, which `maxModelBytes` lets a user (and a test) say.
 */
import type { LoadedBundle, ModelWeights } from '../bundle/loadBundle';
import {
  availablePrecisions,
  MODEL_ROLE_NAMES,
  type BundleManifest,
  type ModelRole,
} from '../bundle/manifestSchema';
import { FlowclasError } from '../errors';
import type { ExecutionProvider } from './ort';

/** What the weights of all models may take together in wasm32 memory (4 GiB less working room). */
export const WASM_WEIGHT_BUDGET_BYTES = 3.5 * 2 ** 30;

export interface MemoryLimits {
  /** Bytes all models' weights may take together (WebAssembly only). */
  wasmWeightBytes: number;
  /** A device limit for any one model, in bytes: larger models are refused. */
  maxModelBytes?: number;
}

export const formatBytes = (bytes: number): string =>
  bytes >= 1e9
    ? `${(bytes / 1e9).toFixed(2)} GB`
    : `${(bytes / 1e6).toFixed(bytes >= 1e6 ? 1 : 2)} MB`;

/** A model that cannot be held on this device, with what to try instead. */
export class ModelTooBigError extends FlowclasError {
  constructor(
    readonly model: string,
    readonly bytes: number,
    why: string,
    suggestions: string[],
  ) {
    super(
      'model-too-big',
      `The ${model} model (${formatBytes(bytes)}) does not fit: ${why}` +
        (suggestions.length > 0 ? ` Try ${joinAlternatives(suggestions)}.` : ''),
    );
    this.name = 'ModelTooBigError';
  }
}

function joinAlternatives(items: string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} or ${items.at(-1) ?? ''}`;
}

export function weightBytes(manifest: BundleManifest, weights: ModelWeights): number {
  return [weights.file, ...weights.externalData].reduce(
    (sum, file) => sum + (manifest.files[file]?.bytes ?? 0),
    0,
  );
}

/** What a user can change so that a role's model fits. */
function suggestionsFor(
  manifest: BundleManifest,
  role: ModelRole,
  weights: ModelWeights,
  provider: ExecutionProvider,
): string[] {
  const smaller = availablePrecisions(manifest, role).filter(
    (precision) => precision !== weights.precision && precision !== 'fp32',
  );
  const suggestions: string[] = [];
  if (smaller.length > 0) {
    suggestions.push(`its ${smaller.join(' or ')} weights (the Precision setting)`);
  } else {
    suggestions.push('a bundle with fp16 or int8 weights (`npm run factory -- variants DIR`)');
  }
  if (role === 'backbone') suggestions.push('a smaller maxSide in the manifest');
  if (provider === 'wasm') suggestions.push('a browser with WebGPU');
  return suggestions;
}

/** Throws ModelTooBigError for the first model the limits rule out; runs before any download. */
export function checkModelsFit(
  manifest: BundleManifest,
  weights: LoadedBundle['weights'],
  provider: ExecutionProvider,
  limits: MemoryLimits,
): void {
  const entries = Object.entries(weights) as [ModelRole, ModelWeights][];
  const sizes = entries.map(([role, modelWeights]) => ({
    role,
    modelWeights,
    bytes: weightBytes(manifest, modelWeights),
  }));
  const total = sizes.reduce((sum, { bytes }) => sum + bytes, 0);
  for (const { role, modelWeights, bytes } of sizes) {
    const model = MODEL_ROLE_NAMES[role];
    if (limits.maxModelBytes !== undefined && bytes > limits.maxModelBytes) {
      throw new ModelTooBigError(
        model,
        bytes,
        `this device takes models of at most ${formatBytes(limits.maxModelBytes)}.`,
        suggestionsFor(manifest, role, modelWeights, provider),
      );
    }
  }
  if (provider === 'wasm' && total > limits.wasmWeightBytes) {
    const largest = sizes.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    throw new ModelTooBigError(
      MODEL_ROLE_NAMES[largest.role],
      largest.bytes,
      `WebAssembly memory holds at most 4 GB for all models together, and this bundle's ` +
        `models need ${formatBytes(total)} in ${largest.modelWeights.precision}.`,
      suggestionsFor(manifest, largest.role, largest.modelWeights, provider),
    );
  }
}

const outOfMemory =
  /out of memory|\bOOM\b|allocation failed|cannot enlarge memory|could not allocate|failed to allocate|maxStorageBufferBindingSize|maxBufferSize|exceeds the max/i;

/** onnxruntime's words for a model that did not fit, turned into ModelTooBigError; else undefined. */
export function asModelTooBig(
  reason: string,
  manifest: BundleManifest,
  role: ModelRole,
  weights: ModelWeights,
  provider: ExecutionProvider,
): ModelTooBigError | undefined {
  if (!outOfMemory.test(reason)) return undefined;
  const where =
    provider === 'webgpu'
      ? 'the GPU refused a buffer of its weights'
      : 'onnxruntime ran out of memory while loading it';
  return new ModelTooBigError(
    MODEL_ROLE_NAMES[role],
    weightBytes(manifest, weights),
    `${where} (${reason.trim().slice(0, 160)}).`,
    suggestionsFor(manifest, role, weights, provider),
  );
}
