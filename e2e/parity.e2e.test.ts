/**
 * Numeric parity in the browser: the real worker (onnxruntime-web) against the factory's PyTorch
 * goldens, on WASM for every fixture bundle (and the demo bundle when its goldens exist), and on
 * WebGPU (SwiftShader) for the tiny fixtures.
 */
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rleToPixelMask } from '../src/core/sam2';
import { smoothScoreMap } from '../src/core/smoothing';
import { maxAbsDifference } from '../src/core/numeric';
import { maskIou, readGoldens } from '../src/core/testing/goldens';
import { launchChromium, type BrowserMode, type LaunchedBrowser } from './support/chromium';
import { openHarness } from './support/harnessPage';
import { startStaticServer, type StaticServer } from './support/staticServer';

const root = resolve(import.meta.dirname, '..');
const fixtureVariants = readdirSync(resolve(root, 'fixtures/bundles'));
const demoSamples = existsSync(resolve(root, 'fixtures/demo-golden'))
  ? readdirSync(resolve(root, 'fixtures/demo-golden'))
  : [];

type Harness = Window & {
  flowclasHarness: {
    open(manifestUrl: string, allowWebGpu: boolean, corrupt?: boolean): Promise<OpenResult>;
    analyze(imageUrl: string): Promise<AnalyzeResult>;
  };
};
interface OpenResult {
  backend: { provider: string; description: string; webGpuUnavailableReason?: string };
  storage: string;
  progress: string[];
  crossOriginIsolated: boolean;
}
interface AnalyzeResult {
  width: number;
  height: number;
  bins: number;
  likelihood: number[];
  score: number[];
  refined: number[] | null;
  masks: { rle: { size: [number, number]; counts: number[] }; predictedIou: number }[];
}

let server: StaticServer;
beforeAll(async () => {
  server = await startStaticServer({
    mounts: [
      { prefix: 'harness', root: resolve(root, 'e2e-results/harness-dist') },
      { prefix: 'fixtures', root: resolve(root, 'fixtures') },
      { prefix: 'models', root: resolve(root, 'public/models') },
    ],
    crossOriginIsolated: true,
  });
});
afterAll(() => server?.close());

function expectGoldenParity(result: AnalyzeResult, goldenDir: string) {
  const goldens = readGoldens(goldenDir);
  expect(maxAbsDifference(result.likelihood, goldens.array('likelihood').data)).toBeLessThanOrEqual(
    1e-4,
  );
  expect(maxAbsDifference(result.score, goldens.array('score').data)).toBeLessThanOrEqual(1e-4);
  const expectedMasks = goldens.masks();
  expect(result.masks.length).toBe(expectedMasks.length);
  result.masks.forEach((found, index) => {
    const golden = expectedMasks[index];
    if (!golden) throw new Error(`golden mask ${index} missing`);
    expect(maskIou(rleToPixelMask(found.rle), golden.mask)).toBeGreaterThanOrEqual(0.99);
  });
  // The refined map is Algorithm 1 on this run's own scores and masks (the golden refined map is
  // not comparable: the algorithm is discontinuous in the scores; see the Node parity test).
  const ownMasks = result.masks.map((found) => rleToPixelMask(found.rle));
  const expectedRefined = smoothScoreMap(
    { width: result.width, height: result.height, data: Float32Array.from(result.score) },
    ownMasks,
    result.bins,
  );
  expect(maxAbsDifference(result.refined ?? [], expectedRefined.data)).toBe(0);
}

// SwiftShader runs WebGPU on the CPU at a fraction of WASM's speed (minutes per bundle here),
// so WebGPU covers the variants whose GPU paths differ: registers, a GPU-resident map-layout
// backbone → flow hand-over, and batched prompts with a partial last batch.
const webGpuVariants = ['tokens-reg4', 'map', 'decoder-batched'];

const cases: { mode: BrowserMode; allowWebGpu: boolean; variants: string[] }[] = [
  { mode: 'no-webgpu', allowWebGpu: false, variants: fixtureVariants },
  { mode: 'webgpu', allowWebGpu: true, variants: webGpuVariants },
];

describe.each(cases)('fixture bundles in Chromium ($mode)', ({ mode, allowWebGpu, variants }) => {
  let browser: LaunchedBrowser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchChromium(mode);
    page = await openHarness(browser, server.urlOf('harness'));
  });
  afterAll(() => browser?.close());

  it.each(variants)('%s matches the PyTorch goldens', async (variant) => {
    const opened = await page.evaluate(
      ([url, webgpu]) => (window as unknown as Harness).flowclasHarness.open(url, webgpu),
      [`../fixtures/bundles/${variant}/manifest.json`, allowWebGpu] as const,
    );
    expect(opened.backend.provider).toBe(allowWebGpu ? 'webgpu' : 'wasm');
    if (!allowWebGpu) expect(opened.backend.description).toMatch(/^WebAssembly, \d+ threads?$/);
    const result = await page.evaluate(
      (url) => (window as unknown as Harness).flowclasHarness.analyze(url),
      `../fixtures/bundles/${variant}/golden/image.png`,
    );
    expectGoldenParity(result, resolve(root, 'fixtures/bundles', variant, 'golden'));
  });
});

describe('WebGPU self-check', () => {
  let browser: LaunchedBrowser;
  beforeAll(async () => {
    browser = await launchChromium('webgpu');
  });
  afterAll(() => browser?.close());

  it('falls back to WASM and says why when WebGPU disagrees with WASM', async () => {
    const page = await openHarness(browser, server.urlOf('harness'));
    const opened = await page.evaluate(
      (url) => (window as unknown as Harness).flowclasHarness.open(url, true, true),
      '../fixtures/bundles/tokens-cls/manifest.json',
    );
    expect(opened.backend.provider).toBe('wasm');
    expect(opened.backend.webGpuUnavailableReason).toMatch(
      /^WebGPU gave wrong results on this device \(.* differs from WebAssembly by .*\), so the models run on WebAssembly instead\.$/,
    );
    const result = await page.evaluate(
      (url) => (window as unknown as Harness).flowclasHarness.analyze(url),
      '../fixtures/bundles/tokens-cls/golden/image.png',
    );
    expectGoldenParity(result, resolve(root, 'fixtures/bundles/tokens-cls/golden'));
  });
});

describe.skipIf(demoSamples.length === 0)('demo bundle in Chromium (WASM, 2 threads)', () => {
  let browser: LaunchedBrowser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchChromium('no-webgpu');
    page = await openHarness(browser, server.urlOf('harness'));
  });
  afterAll(() => browser?.close());

  it.each(demoSamples)('%s matches the PyTorch goldens', async (sample) => {
    const opened = await page.evaluate(
      (url) => (window as unknown as Harness).flowclasHarness.open(url, false),
      '../models/demo/manifest.json',
    );
    expect(opened.crossOriginIsolated).toBe(true);
    const result = await page.evaluate(
      (url) => (window as unknown as Harness).flowclasHarness.analyze(url),
      `../fixtures/demo-golden/${sample}/image.png`,
    );
    expectGoldenParity(result, resolve(root, 'fixtures/demo-golden', sample));
  });
});
