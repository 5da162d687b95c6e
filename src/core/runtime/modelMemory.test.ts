import { describe, expect, it } from 'vitest';
import { chooseWeights } from '../bundle/loadBundle';
import type { BundleManifest } from '../bundle/manifestSchema';
import { parseManifest } from '../bundle/parseManifest';
import { validManifest } from '../bundle/testdata/validManifest';
import { asModelTooBig, checkModelsFit, ModelTooBigError } from './modelMemory';

/** A real-size bundle on paper: a 1.2 GB backbone in two chunks with an int8 variant. */
function bigManifest(): BundleManifest {
  const manifest = validManifest();
  const entry = (bytes: number) => ({ bytes, sha256: 'c'.repeat(64) });
  Object.assign(manifest.backbone, {
    externalData: ['backbone.onnx.data.0', 'backbone.onnx.data.1'],
    variants: { int8: { file: 'backbone.int8.onnx' } },
  });
  Object.assign(manifest.files, {
    'backbone.onnx': entry(2_000_000),
    'backbone.onnx.data.0': entry(700_000_000),
    'backbone.onnx.data.1': entry(510_000_000),
    'backbone.int8.onnx': entry(310_000_000),
    'flow.onnx': entry(350_000_000),
  });
  return parseManifest(JSON.stringify(manifest), 'm');
}

function refusal(run: () => void): ModelTooBigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ModelTooBigError);
    return error as ModelTooBigError;
  }
  throw new Error('expected the bundle to be refused');
}

describe('checkModelsFit', () => {
  const manifest = bigManifest();
  const fp32 = chooseWeights(manifest);

  it('accepts weights within the limits', () => {
    expect(() =>
      checkModelsFit(manifest, fp32, 'wasm', { wasmWeightBytes: 3.5 * 2 ** 30 }),
    ).not.toThrow();
  });

  it('names the model, its size and what to try when a device limit rules it out', () => {
    const error = refusal(() =>
      checkModelsFit(manifest, fp32, 'wasm', { wasmWeightBytes: 2 ** 40, maxModelBytes: 1e9 }),
    );
    expect(error.message).toBe(
      'The backbone model (1.21 GB) does not fit: this device takes models of at most 1.00 GB. ' +
        'Try its int8 weights (the Precision setting), a smaller maxSide in the manifest or a ' +
        'browser with WebGPU.',
    );
  });

  it('counts all models against wasm32 memory, on WebAssembly only', () => {
    const error = refusal(() => checkModelsFit(manifest, fp32, 'wasm', { wasmWeightBytes: 1.5e9 }));
    expect(error.message).toMatch(/need 1\.56 GB in fp32/);
    expect(() =>
      checkModelsFit(manifest, fp32, 'webgpu', { wasmWeightBytes: 1.5e9 }),
    ).not.toThrow();
    const int8 = chooseWeights(manifest, { backbone: 'int8' });
    expect(() => checkModelsFit(manifest, int8, 'wasm', { wasmWeightBytes: 1.5e9 })).not.toThrow();
  });
});

describe('asModelTooBig', () => {
  const manifest = bigManifest();
  const weights = chooseWeights(manifest).backbone;
  if (!weights) throw new Error('the manifest has a backbone');

  it("turns onnxruntime's out-of-memory words into the same sentence", () => {
    const error = asModelTooBig(
      'RangeError: WebAssembly.Memory.grow(): Maximum memory size exceeded; Aborted(OOM)',
      manifest,
      'backbone',
      weights,
      'wasm',
    );
    expect(error?.message).toMatch(
      /^The backbone model \(1\.21 GB\) does not fit: onnxruntime ran out of memory while loading it/,
    );
    expect(error?.message).toMatch(/Try its int8 weights/);
  });

  it('leaves other failures alone', () => {
    expect(
      asModelTooBig('Unsupported operator Foo', manifest, 'backbone', weights, 'wasm'),
    ).toBeUndefined();
  });
});
