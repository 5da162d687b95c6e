/**
 * Which weight variant each model runs in. fp16 halves the bytes and runs on WebGPU adapters
 * that compute in float16; int8 quarters them and is the fast path of onnxruntime's CPU and
 * WebAssembly kernels; fp32 is exact and always present.
 */
import { availablePrecisions, modelRoles } from '../bundle/manifestSchema';
import type { BundleManifest } from '../bundle/manifestSchema';
import type { ChosenPrecisions } from '../bundle/loadBundle';
import { WEIGHT_PRECISIONS, type WeightPrecision } from '../defaults';
import type { ExecutionProvider } from './ort';

/** `auto` picks per provider; a named precision is used wherever a model ships it. */
export const PRECISION_PREFERENCES = ['auto', ...WEIGHT_PRECISIONS] as const;
export type PrecisionPreference = (typeof PRECISION_PREFERENCES)[number];

export interface PrecisionContext {
  provider: ExecutionProvider;
  /** The WebGPU adapter has `shader-f16`. */
  shaderF16: boolean;
  preference: PrecisionPreference;
}

function autoPrecision(available: WeightPrecision[], context: PrecisionContext): WeightPrecision {
  if (context.provider === 'webgpu' && context.shaderF16 && available.includes('fp16')) {
    return 'fp16';
  }
  if (context.provider === 'wasm' && available.includes('int8')) return 'int8';
  return 'fp32';
}

/** fp16 on a WebGPU adapter without float16 shaders cannot run at all. */
function canRun(precision: WeightPrecision, context: PrecisionContext): boolean {
  return !(precision === 'fp16' && context.provider === 'webgpu' && !context.shaderF16);
}

export function choosePrecisions(
  manifest: BundleManifest,
  context: PrecisionContext,
): ChosenPrecisions {
  const chosen: ChosenPrecisions = {};
  for (const role of modelRoles(manifest)) {
    const available = availablePrecisions(manifest, role);
    chosen[role] =
      context.preference === 'auto'
        ? autoPrecision(available, context)
        : available.includes(context.preference) && canRun(context.preference, context)
          ? context.preference
          : 'fp32';
  }
  return chosen;
}
