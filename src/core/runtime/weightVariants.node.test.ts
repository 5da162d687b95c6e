import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLocalBundle } from '../../node/loadLocalBundle';
import { ortNodeApi } from '../../node/ortNode';
import { analyzeImage } from '../analysis/analyzeImage';
import { maxAbsDifference } from '../numeric';
import { readGoldens } from '../testing/goldens';
import { createBundleSessions } from './sessions';

// The same models as the tokens-cls fixture, with external data split in chunks and fp16/int8
// weight variants (tools/external_data_fixture.py): its goldens are this bundle's too.
const bundleDir = resolve(import.meta.dirname, '../../../fixtures/external-data');
const goldens = readGoldens(
  resolve(import.meta.dirname, '../../../fixtures/bundles/tokens-cls/golden'),
);

const goldenScore = goldens.array('score').data;

async function scoreMapWith(precision: 'fp32' | 'fp16' | 'int8') {
  const bundle = await loadLocalBundle(bundleDir, { precision });
  const sessions = await createBundleSessions(ortNodeApi, bundle, 'cpu');
  try {
    const result = await analyzeImage(ortNodeApi, sessions, bundle.manifest, goldens.image, {
      withMasks: false,
    });
    return { weights: bundle.weights, scoreMap: result.scoreMap.data };
  } finally {
    await sessions.release();
  }
}

describe('external data and weight variants in onnxruntime-node', () => {
  it('runs fp32 weights from chunked external data to the PyTorch golden', async () => {
    const { weights, scoreMap } = await scoreMapWith('fp32');
    expect(weights.backbone).toEqual({
      precision: 'fp32',
      file: 'backbone.onnx',
      externalData: ['backbone.onnx.data.0', 'backbone.onnx.data.1'],
    });
    expect(maxAbsDifference(scoreMap, goldenScore)).toBeLessThan(1e-5);
  });

  // Each variant ships for one model only; the other runs its fp32 weights.
  it.each([
    ['fp16', { backbone: 'fp16', flow: 'fp32' }],
    ['int8', { backbone: 'fp32', flow: 'int8' }],
  ] as const)('runs %s weights close to the fp32 map', async (precision, expected) => {
    const { weights, scoreMap } = await scoreMapWith(precision);
    expect({ backbone: weights.backbone?.precision, flow: weights.flow?.precision }).toEqual(
      expected,
    );
    const error = maxAbsDifference(scoreMap, goldenScore);
    expect(error).toBeGreaterThan(0);
    expect(error).toBeLessThan(0.02);
  });
});
