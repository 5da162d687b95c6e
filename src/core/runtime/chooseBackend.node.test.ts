import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fetchManifest, loadWeights, type BundleLoadEvent } from '../bundle/loadBundle';
import { createNodeFileSource, manifestUrlFor } from '../../node/fileSource';
import { ortNodeApi } from '../../node/ortNode';
import { openBundleSessions, type ChooseBackendOptions } from './chooseBackend';
import type { InferenceSession, OrtApi } from './ort';
import type { WebGpuProbe } from './webgpuProbe';

// fixtures/external-data: backbone fp32 (chunked) + fp16, flow fp32 + int8, no segmenter.
const manifestUrl = manifestUrlFor(resolve(import.meta.dirname, '../../../fixtures/external-data'));
const source = createNodeFileSource();

/**
 * onnxruntime-node standing in for the browser's providers: every session runs on the CPU, and
 * the provider each was asked for is recorded with the files it was given.
 */
function recordingOrt(created: { provider: string; externalData: string[] }[]): OrtApi {
  return {
    Tensor: ortNodeApi.Tensor,
    InferenceSession: {
      create: (model: Uint8Array, options?: InferenceSession.SessionOptions) => {
        const provider = String(options?.executionProviders?.[0]);
        const externalData = (options?.externalData ?? []).map((entry) =>
          typeof entry === 'string' ? entry : entry.path,
        );
        created.push({ provider, externalData });
        // GPU-resident outputs do not exist on the CPU provider.
        const cpuOptions = { ...options, executionProviders: ['cpu'] };
        delete cpuOptions.preferredOutputLocation;
        return ortNodeApi.InferenceSession.create(model, cpuOptions);
      },
    },
  };
}

const gpu = (shaderF16: boolean): WebGpuProbe => ({
  available: true,
  adapterDescription: 'Test GPU',
  isFallbackAdapter: false,
  shaderF16,
});

async function open(overrides: Partial<ChooseBackendOptions>) {
  const manifest = await fetchManifest(source, manifestUrl);
  const created: { provider: string; externalData: string[] }[] = [];
  const fetched: string[] = [];
  const loaded: Map<string, Uint8Array>[] = [];
  const onEvent = (event: BundleLoadEvent) => {
    if (event.kind === 'file-ready') fetched.push(event.file);
  };
  const opened = await openBundleSessions(recordingOrt(created), manifest, {
    webGpu: gpu(true),
    allowWebGpu: true,
    wasmThreads: 1,
    precision: 'auto',
    limits: { wasmWeightBytes: 2 ** 32 },
    loadWeights: async (precisions, roles) => {
      const bundle = await loadWeights({
        manifestUrl,
        manifest,
        source,
        precisions,
        onEvent,
        ...(roles ? { roles } : {}),
      });
      loaded.push(bundle.files);
      return bundle;
    },
    ...overrides,
  });
  await opened.sessions.release();
  return { backend: opened.backend, created, fetched, loaded };
}

describe('openBundleSessions', () => {
  it('runs fp16 on a WebGPU adapter with shader-f16, checked model by model against fp32 on WASM', async () => {
    const { backend, created, fetched, loaded } = await open({});
    expect(backend.provider).toBe('webgpu');
    expect(backend.precisions).toEqual({ backbone: 'fp16', flow: 'fp32' });
    expect(backend.selfCheck?.agrees).toBe(true);
    expect(created.map((session) => session.provider)).toEqual(['webgpu', 'webgpu', 'wasm']);
    expect(created[0]?.externalData).toEqual(['backbone.fp16.onnx.data']);
    // The canary covers the flow only: the fp32 backbone is never fetched.
    expect(fetched).not.toContain('backbone.onnx');
    // Once the sessions exist, no model bytes are held outside onnxruntime.
    expect(loaded.every((files) => files.size === 0)).toBe(true);
  });

  it('falls back to WASM with its own variants when WebGPU fails the self-check', async () => {
    const { backend, created } = await open({ corruptWebGpuCanary: true });
    expect(backend.provider).toBe('wasm');
    expect(backend.precisions).toEqual({ backbone: 'fp32', flow: 'int8' });
    expect(backend.webGpuUnavailableReason).toMatch(/^WebGPU gave wrong results/);
    expect(created.map((session) => session.provider)).toEqual([
      'webgpu',
      'webgpu',
      'wasm',
      'wasm',
      'wasm',
    ]);
    expect(created[3]?.externalData).toEqual(['backbone.onnx.data.0', 'backbone.onnx.data.1']);
  });

  it('refuses weights that cannot fit before fetching any', async () => {
    const fetched: string[] = [];
    await expect(
      open({
        allowWebGpu: false,
        limits: { wasmWeightBytes: 2 ** 32, maxModelBytes: 100_000 },
        loadWeights: async () => {
          fetched.push('something');
          throw new Error('should not load');
        },
      }),
    ).rejects.toThrow(/^The backbone model \(0\.21 MB\) does not fit/);
    expect(fetched).toEqual([]);
  });
});
