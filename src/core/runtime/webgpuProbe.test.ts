import { describe, expect, it } from 'vitest';
import { describeAdapter, probeWebGpu } from './webgpuProbe';

describe('probeWebGpu', () => {
  it('reports a missing navigator.gpu', async () => {
    const probe = await probeWebGpu(undefined);
    expect(probe).toEqual({ available: false, reason: expect.stringContaining('navigator.gpu') });
  });

  it('reports an adapter request that yields nothing', async () => {
    const probe = await probeWebGpu({ requestAdapter: async () => null });
    expect(probe.available).toBe(false);
  });

  it('reports a failing adapter request with its message', async () => {
    const probe = await probeWebGpu({
      requestAdapter: async () => {
        throw new Error('device lost');
      },
    });
    expect(probe).toEqual({ available: false, reason: expect.stringContaining('device lost') });
  });

  it('names the adapter and says whether it is a software fallback', async () => {
    const probe = await probeWebGpu({
      requestAdapter: async () => ({
        info: { vendor: 'google', architecture: 'swiftshader', device: '', description: '' },
        isFallbackAdapter: true,
      }),
    });
    expect(probe).toEqual({
      available: true,
      adapterDescription: 'google swiftshader',
      isFallbackAdapter: true,
      shaderF16: false,
    });
  });

  it('reports float16 support and the storage-buffer limit', async () => {
    const probe = await probeWebGpu({
      requestAdapter: async () => ({
        info: { description: 'Some GPU' },
        features: new Set(['shader-f16', 'timestamp-query']),
        limits: { maxStorageBufferBindingSize: 134_217_728 },
      }),
    });
    expect(probe).toMatchObject({ shaderF16: true, maxStorageBufferBindingSize: 134_217_728 });
  });
});

describe('describeAdapter', () => {
  it('prefers the description', () => {
    expect(describeAdapter({ vendor: 'nvidia', description: 'NVIDIA H200' })).toBe('NVIDIA H200');
  });
  it('falls back to a placeholder', () => {
    expect(describeAdapter(undefined)).toBe('unknown adapter');
    expect(describeAdapter({})).toBe('unknown adapter');
  });
});
