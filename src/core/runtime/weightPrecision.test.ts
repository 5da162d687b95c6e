import { describe, expect, it } from 'vitest';
import type { BundleManifest } from '../bundle/manifestSchema';
import { parseManifest } from '../bundle/parseManifest';
import { validManifest } from '../bundle/testdata/validManifest';
import { choosePrecisions, type PrecisionContext } from './weightPrecision';

/** Backbone in fp32/fp16/int8, flow in fp32/int8, segmenter in fp32 only. */
function manifestWithVariants(): BundleManifest {
  const manifest = validManifest();
  const entry = { bytes: 1, sha256: 'b'.repeat(64) };
  Object.assign(manifest.backbone, {
    variants: { fp16: { file: 'backbone.fp16.onnx' }, int8: { file: 'backbone.int8.onnx' } },
  });
  Object.assign(manifest.flow, { variants: { int8: { file: 'flow.int8.onnx' } } });
  for (const file of ['backbone.fp16.onnx', 'backbone.int8.onnx', 'flow.int8.onnx']) {
    manifest.files[file] = entry;
  }
  return parseManifest(JSON.stringify(manifest), 'm');
}

const context = (overrides: Partial<PrecisionContext>): PrecisionContext => ({
  provider: 'wasm',
  shaderF16: false,
  preference: 'auto',
  ...overrides,
});

describe('choosePrecisions', () => {
  const manifest = manifestWithVariants();

  it('picks fp16 on WebGPU with shader-f16, else fp32', () => {
    expect(choosePrecisions(manifest, context({ provider: 'webgpu', shaderF16: true }))).toEqual({
      backbone: 'fp16',
      flow: 'fp32',
      encoder: 'fp32',
      decoder: 'fp32',
    });
    expect(choosePrecisions(manifest, context({ provider: 'webgpu' })).backbone).toBe('fp32');
  });

  it('picks int8 on WebAssembly where a model ships it', () => {
    expect(choosePrecisions(manifest, context({ provider: 'wasm' }))).toEqual({
      backbone: 'int8',
      flow: 'int8',
      encoder: 'fp32',
      decoder: 'fp32',
    });
  });

  it('keeps fp32 in Node unless asked', () => {
    expect(choosePrecisions(manifest, context({ provider: 'cpu' })).backbone).toBe('fp32');
    expect(
      choosePrecisions(manifest, context({ provider: 'cpu', preference: 'int8' })),
    ).toMatchObject({ backbone: 'int8', flow: 'int8', encoder: 'fp32' });
  });

  it('honours an override where the model has it and the device can run it', () => {
    expect(
      choosePrecisions(manifest, context({ provider: 'wasm', preference: 'fp32' })).backbone,
    ).toBe('fp32');
    expect(
      choosePrecisions(
        manifest,
        context({ provider: 'webgpu', shaderF16: true, preference: 'int8' }),
      ),
    ).toMatchObject({ backbone: 'int8', flow: 'int8' });
    // fp16 cannot run on an adapter without float16 shaders.
    expect(
      choosePrecisions(manifest, context({ provider: 'webgpu', preference: 'fp16' })).backbone,
    ).toBe('fp32');
  });
});
