/**
 * The fast automatic-mask path against the exact one on real decoder outputs: the demo bundle's
 * segmenter on a sample image, each decoder batch fed to both generators.
 */
import { loadLocalBundle } from '../../node/loadLocalBundle';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ortNodeApi } from '../../node/ortNode';
import { rgb8FromPng } from '../io/pngImage';
import { createBundleSessions, type BundleSessions } from '../runtime/sessions';
import { AutomaticMaskGenerator, type AutomaticMask } from '../sam2';
import { maskAgreement } from '../testing/maskAgreement';
import { decodePromptGrid } from './automaticMasks';
import { StageClock } from './stages';

const root = resolve(import.meta.dirname, '../../..');
const bundleDir = resolve(root, 'public/models/demo');
const imagePath = resolve(root, 'public/samples/road_01_landscape.png');
const haveDemo = existsSync(resolve(bundleDir, 'manifest.json')) && existsSync(imagePath);

describe.skipIf(!haveDemo)('fast and exact automatic masks on the demo decoder', () => {
  let sessions: BundleSessions;
  const results = {} as Record<'exact' | 'fast', { masks: AutomaticMask[]; upsampled: number }>;

  beforeAll(async () => {
    const bundle = await loadLocalBundle(bundleDir);
    sessions = await createBundleSessions(ortNodeApi, bundle, 'cpu');
    const { encoder, decoder } = sessions;
    const segmenter = bundle.manifest.segmenter;
    if (!encoder || !decoder || !segmenter) throw new Error('the demo bundle has no segmenter');
    const image = rgb8FromPng(new Uint8Array(readFileSync(imagePath)), imagePath);
    const options = { lowResSize: segmenter.imageSize / 4 };
    const exact = new AutomaticMaskGenerator(image, segmenter.amg, { ...options, path: 'exact' });
    const fast = new AutomaticMaskGenerator(image, segmenter.amg, { ...options, path: 'fast' });
    const grid = decodePromptGrid(
      ortNodeApi,
      { encoder, decoder },
      segmenter,
      image,
      new StageClock(),
    );
    for await (const { masksLogits, iouPredictions } of grid) {
      exact.addBatch(masksLogits, iouPredictions);
      fast.addBatch(masksLogits, iouPredictions);
    }
    results.exact = { masks: exact.finish(), upsampled: exact.upsampledCount };
    results.fast = { masks: fast.finish(), upsampled: fast.upsampledCount };
  }, 600_000);

  afterAll(async () => {
    await sessions?.release();
  });

  it('upsamples only the candidates that pass both filters', () => {
    expect(results.exact.masks.length).toBeGreaterThan(10);
    expect(results.fast.upsampled).toBeLessThan(0.8 * results.exact.upsampled);
  });

  it('gives a candidate both paths keep the same mask and box', () => {
    let shared = 0;
    for (const fast of results.fast.masks) {
      const exact = results.exact.masks.find(
        (mask) => mask.promptIndex === fast.promptIndex && mask.predictedIou === fast.predictedIou,
      );
      if (!exact) continue;
      shared++;
      expect(fast.bbox).toEqual(exact.bbox);
      expect(fast.mask.pixels).toEqual(exact.mask.pixels);
    }
    expect(shared).toBeGreaterThan(0.8 * results.exact.masks.length);
  });

  it('finds most exact masks (measured: 18 of 20 identical)', () => {
    const agreement = maskAgreement(
      results.exact.masks.map((mask) => mask.mask),
      results.fast.masks.map((mask) => mask.mask),
    );
    expect(agreement.identical / agreement.referenceCount).toBeGreaterThanOrEqual(0.8);
    expect(agreement.matched / agreement.referenceCount).toBeGreaterThanOrEqual(0.85);
    expect(agreement.unmatchedOther / agreement.otherCount).toBeLessThanOrEqual(0.2);
  });
});
