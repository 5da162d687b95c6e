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
  const results = {} as Record<
    'exact' | 'fast' | 'bundleExact' | 'bundleFast',
    { masks: AutomaticMask[]; upsampled: number }
  >;

  beforeAll(async () => {
    const bundle = await loadLocalBundle(bundleDir);
    sessions = await createBundleSessions(ortNodeApi, bundle, 'cpu');
    const { encoder, decoder } = sessions;
    const segmenter = bundle.manifest.segmenter;
    if (!encoder || !decoder || !segmenter) throw new Error('the demo bundle has no segmenter');
    const image = rgb8FromPng(new Uint8Array(readFileSync(imagePath)), imagePath);
    const options = { lowResSize: segmenter.imageSize / 4 };
    // The bundle's filters (SAM 2's defaults: about 10 masks on this image) and lower ones, under
    // which many more candidates near both thresholds put the two paths to the test.
    const lowered = { ...segmenter.amg, predIouThresh: 0.5, stabilityScoreThresh: 0.8 };
    const generators = {
      exact: new AutomaticMaskGenerator(image, lowered, { ...options, path: 'exact' }),
      fast: new AutomaticMaskGenerator(image, lowered, { ...options, path: 'fast' }),
      bundleExact: new AutomaticMaskGenerator(image, segmenter.amg, { ...options, path: 'exact' }),
      bundleFast: new AutomaticMaskGenerator(image, segmenter.amg, { ...options, path: 'fast' }),
    };
    const grid = decodePromptGrid(
      ortNodeApi,
      { encoder, decoder },
      segmenter,
      image,
      new StageClock(),
    );
    for await (const { masksLogits, iouPredictions } of grid)
      for (const generator of Object.values(generators))
        generator.addBatch(masksLogits, iouPredictions);
    for (const [name, generator] of Object.entries(generators))
      results[name as keyof typeof generators] = {
        masks: generator.finish(),
        upsampled: generator.upsampledCount,
      };
  }, 600_000);

  afterAll(async () => {
    await sessions?.release();
  });

  it('upsamples only the candidates that pass both filters', () => {
    expect(results.exact.masks.length).toBeGreaterThan(20);
    expect(results.bundleExact.masks.length).toBeGreaterThan(0);
    // The exact path upsamples every candidate that passes the IoU filter; the fast one only those
    // that also pass the stability filter on the low-res logits (on this segmenter, about 10 % fewer).
    for (const [fast, exact] of [
      [results.bundleFast, results.bundleExact],
      [results.fast, results.exact],
    ] as const) {
      expect(fast.upsampled).toBeLessThan(exact.upsampled);
      expect(fast.upsampled).toBeGreaterThanOrEqual(fast.masks.length);
    }
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

  it('finds most exact masks', () => {
    const agreement = maskAgreement(
      results.exact.masks.map((mask) => mask.mask),
      results.fast.masks.map((mask) => mask.mask),
    );
    expect(agreement.identical / agreement.referenceCount).toBeGreaterThanOrEqual(0.8);
    expect(agreement.matched / agreement.referenceCount).toBeGreaterThanOrEqual(0.85);
    console.info(
      `fast vs exact: ${agreement.identical} of ${agreement.referenceCount} exact masks identical, ` +
        `${agreement.matched} matched; ${results.fast.upsampled} of ${results.exact.upsampled} upsampled ` +
        `(bundle filters: ${results.bundleFast.upsampled} of ${results.bundleExact.upsampled})`,
    );
    expect(agreement.unmatchedOther / agreement.otherCount).toBeLessThanOrEqual(0.2);
  });
});
