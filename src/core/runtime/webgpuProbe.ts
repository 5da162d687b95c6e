/** What the browser offers for WebGPU, probed once without creating any model session. */
export type WebGpuProbe =
  | {
      available: true;
      adapterDescription: string;
      isFallbackAdapter: boolean;
      /** The adapter computes in float16 (`shader-f16`): fp16 weight variants can run. */
      shaderF16: boolean;
      /** The largest storage buffer one shader may bind, in bytes (caps one weight tensor). */
      maxStorageBufferBindingSize?: number;
    }
  | { available: false; reason: string };

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
}

interface AdapterLike {
  info?: AdapterInfoLike;
  isFallbackAdapter?: boolean;
  features?: { has(feature: string): boolean };
  limits?: { maxStorageBufferBindingSize?: number };
}

interface GpuLike {
  requestAdapter(): Promise<AdapterLike | null>;
}

/** Describes an adapter the way a user recognises it ("Google SwiftShader", "nvidia ampere"). */
export function describeAdapter(info: AdapterInfoLike | undefined): string {
  if (!info) return 'unknown adapter';
  const description = info.description?.trim();
  if (description) return description;
  const parts = [info.vendor, info.architecture, info.device].filter(
    (part): part is string => typeof part === 'string' && part.trim() !== '',
  );
  return parts.length > 0 ? parts.join(' ') : 'unknown adapter';
}

export async function probeWebGpu(gpu: GpuLike | undefined): Promise<WebGpuProbe> {
  if (!gpu) {
    return {
      available: false,
      reason: 'This browser does not expose WebGPU (navigator.gpu is missing).',
    };
  }
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) {
      return { available: false, reason: 'WebGPU is exposed, but no GPU adapter was found.' };
    }
    return {
      available: true,
      adapterDescription: describeAdapter(adapter.info),
      isFallbackAdapter: adapter.isFallbackAdapter ?? false,
      shaderF16: adapter.features?.has('shader-f16') ?? false,
      ...(adapter.limits?.maxStorageBufferBindingSize !== undefined
        ? { maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize }
        : {}),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { available: false, reason: `Requesting a WebGPU adapter failed: ${message}` };
  }
}
