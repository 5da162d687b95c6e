import { resolve } from 'node:path';
import { loadLocalBundle } from '../../node/loadLocalBundle';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ortNodeApi } from '../../node/ortNode';
import type { LoadedBundle } from '../bundle/loadBundle';
import { FlowclasError } from '../errors';
import { createBundleSessions, type BundleSessions } from '../runtime/sessions';
import { readGoldens } from '../testing/goldens';
import { analyzeImage, type AnalysisEvent } from './analyzeImage';

const fixture = resolve(import.meta.dirname, '../../../fixtures/bundles/tokens-cls');
let bundle: LoadedBundle;
let sessions: BundleSessions;

beforeAll(async () => {
  bundle = await loadLocalBundle(fixture);
  sessions = await createBundleSessions(ortNodeApi, bundle, 'cpu');
});
afterAll(() => sessions?.release());

describe('analyzeImage', () => {
  it('delivers the raw score map before the masks, then every stage timing', async () => {
    const events: AnalysisEvent['kind'][] = [];
    const result = await analyzeImage(
      ortNodeApi,
      sessions,
      bundle.manifest,
      readGoldens(resolve(fixture, 'golden')).image,
      {
        onEvent: (event) => {
          events.push(event.kind);
        },
      },
    );
    expect(events[0]).toBe('score-map');
    expect(events.slice(1).every((kind) => kind === 'mask-progress')).toBe(true);
    expect(events.length).toBeGreaterThan(1);
    expect(Object.keys(result.timings).sort()).toEqual(
      [
        'backbone',
        'backbone-input',
        'flow',
        'mask-postprocess',
        'score-map',
        'segmenter-decoder',
        'segmenter-encoder',
        'segmenter-input',
        'smoothing',
      ].sort(),
    );
  });

  it('skips SAM 2 when asked', async () => {
    const result = await analyzeImage(
      ortNodeApi,
      sessions,
      bundle.manifest,
      readGoldens(resolve(fixture, 'golden')).image,
      {
        withMasks: false,
      },
    );
    expect(result.masks).toBeNull();
    expect(result.refinedScoreMap).toBeNull();
    expect(result.timings['segmenter-encoder']).toBeUndefined();
  });

  it('stops at the next stage boundary when cancelled', async () => {
    const controller = new AbortController();
    const analysis = analyzeImage(
      ortNodeApi,
      sessions,
      bundle.manifest,
      readGoldens(resolve(fixture, 'golden')).image,
      {
        signal: controller.signal,
        onEvent: (event) => {
          if (event.kind === 'score-map')
            controller.abort(new FlowclasError('cancelled', 'The analysis was cancelled.'));
        },
      },
    );
    await expect(analysis).rejects.toThrow('The analysis was cancelled.');
  });

  it('scores a 24-megapixel photo at its own size through maxSide', async () => {
    const width = 6000;
    const height = 4000;
    const data = new Uint8Array(width * height * 3);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7) % 256;
    const result = await analyzeImage(
      ortNodeApi,
      sessions,
      bundle.manifest,
      { width, height, data },
      { withMasks: false },
    );
    expect(bundle.manifest.backbone.resize).toEqual({ mode: 'pad', maxSide: 56 });
    expect([result.scoreMap.width, result.scoreMap.height]).toEqual([width, height]);
    expect(result.scoreMap.data.length).toBe(width * height);
    expect(result.scoreMap.data.every(Number.isFinite)).toBe(true);
  });

  it('sends pointsPerSide² prompts when the grid is set per analysis, and refuses a bad grid', async () => {
    const image = readGoldens(resolve(fixture, 'golden')).image;
    const promptCounts: number[] = [];
    await analyzeImage(ortNodeApi, sessions, bundle.manifest, image, {
      pointsPerSide: 3,
      onEvent: (event) => {
        if (event.kind === 'mask-progress') promptCounts.push(event.progress.promptCount);
      },
    });
    expect(new Set(promptCounts)).toEqual(new Set([9]));
    expect(bundle.manifest.segmenter?.amg.pointsPerSide).not.toBe(3);
    await expect(
      analyzeImage(ortNodeApi, sessions, bundle.manifest, image, { pointsPerSide: 0 }),
    ).rejects.toThrow('Points per side must be a whole number from 1 to 64; got 0.');
  });
});
