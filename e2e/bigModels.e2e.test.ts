/**
 * Big-model paths in Chromium, with a tiny bundle that has them all (fixtures/external-data:
 * weights in chunked ONNX external data, an fp16 backbone and an int8 flow beside the fp32 ones):
 * the worker on WASM and on WebGPU (SwiftShader) against the PyTorch goldens of the same models,
 * and a model too big for the device refused with a sentence while the open bundle keeps working.
 */
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDifference } from '../src/core/numeric';
import { readGoldens } from '../src/core/testing/goldens';
import { prepareAppInputs, appMounts } from './support/appInputs';
import { waitForImageStatus } from './support/appPage';
import { launchChromium, type BrowserMode, type LaunchedBrowser } from './support/chromium';
import { openHarness } from './support/harnessPage';
import { startStaticServer, type StaticServer } from './support/staticServer';

const root = resolve(import.meta.dirname, '..');
const BUNDLE = '../fixtures/external-data/manifest.json';
// The fp32 models are the tokens-cls fixture's, so its goldens hold for every precision.
const goldenScore = readGoldens(resolve(root, 'fixtures/bundles/tokens-cls/golden')).array('score');
const IMAGE = '../fixtures/bundles/tokens-cls/golden/image.png';

interface OpenResult {
  backend: { provider: string; precisions: Record<string, string> };
  progress: string[];
}
type Harness = Window & {
  flowclasHarness: {
    open(
      manifestUrl: string,
      allowWebGpu: boolean,
      corrupt: boolean,
      extra: { precision?: string; maxModelBytes?: number },
    ): Promise<OpenResult>;
    analyze(imageUrl: string): Promise<{ score: number[] }>;
    adapterHasShaderF16(): Promise<boolean | null>;
  };
};

let server: StaticServer;
beforeAll(async () => {
  const inputs = await prepareAppInputs('tokens-cls');
  server = await startStaticServer({
    mounts: [
      { prefix: 'harness', root: resolve(root, 'e2e-results/harness-dist') },
      { prefix: 'fixtures', root: resolve(root, 'fixtures') },
      ...appMounts(inputs),
    ],
    crossOriginIsolated: true,
  });
});
afterAll(() => server?.close());

const open = (page: Page, webGpu: boolean, extra: { precision?: string; maxModelBytes?: number }) =>
  page.evaluate(
    ([url, allow, options]) =>
      (window as unknown as Harness).flowclasHarness.open(url, allow, false, options),
    [BUNDLE, webGpu, extra] as const,
  );

const scoreError = async (page: Page) => {
  const { score } = await page.evaluate(
    (url) => (window as unknown as Harness).flowclasHarness.analyze(url),
    IMAGE,
  );
  return maxAbsDifference(score, goldenScore.data);
};

describe.each<{ mode: BrowserMode; webGpu: boolean }>([
  { mode: 'no-webgpu', webGpu: false },
  { mode: 'webgpu', webGpu: true },
])('external data and weight variants in Chromium ($mode)', ({ mode, webGpu }) => {
  let browser: LaunchedBrowser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchChromium(mode);
    page = await openHarness(browser, server.urlOf('harness'));
  });
  afterAll(() => browser?.close());

  it('runs fp32 weights from chunked external data to the PyTorch golden', async () => {
    const opened = await open(page, webGpu, { precision: 'fp32' });
    expect(opened.backend.provider).toBe(webGpu ? 'webgpu' : 'wasm');
    expect(opened.backend.precisions).toEqual({ backbone: 'fp32', flow: 'fp32' });
    expect(opened.progress).toEqual(
      expect.arrayContaining([
        'backbone.onnx.data.0:network',
        'backbone.onnx.data.1:network',
        'flow.onnx:network',
      ]),
    );
    expect(opened.progress.some((entry) => entry.startsWith('flow.int8'))).toBe(false);
    expect(await scoreError(page)).toBeLessThanOrEqual(1e-4);
  });

  it('picks the variant for the backend on its own, and stays close to fp32', async () => {
    const shaderF16 = await page.evaluate(() =>
      (window as unknown as Harness).flowclasHarness.adapterHasShaderF16(),
    );
    const opened = await open(page, webGpu, {});
    expect(opened.backend.precisions).toEqual(
      webGpu
        ? { backbone: shaderF16 ? 'fp16' : 'fp32', flow: 'fp32' }
        : { backbone: 'fp32', flow: 'int8' },
    );
    const error = await scoreError(page);
    expect(error).toBeLessThan(0.02);
  });

  it.skipIf(webGpu)('runs the fp16 backbone when asked', async () => {
    const opened = await open(page, webGpu, { precision: 'fp16' });
    expect(opened.backend.precisions).toEqual({ backbone: 'fp16', flow: 'fp32' });
    const error = await scoreError(page);
    expect(error).toBeGreaterThan(0);
    expect(error).toBeLessThan(0.02);
  });
});

describe('a model too big for the device', () => {
  let browser: LaunchedBrowser;
  beforeAll(async () => {
    browser = await launchChromium('no-webgpu');
  });
  afterAll(() => browser?.close());

  it('is refused with a sentence before download; the open bundle keeps working', async () => {
    const page = await browser.context.newPage();
    const bundles = server.urlOf('bundles');
    // Every model of the external-data bundle is at most 0.21 MB; tokens-cls's encoder is 0.33 MB.
    await page.goto(
      `${server.urlOf('flowclas')}?maxModelMB=0.21&manifest=${server.origin}/fixtures/external-data/manifest.json`,
    );
    const status = page.locator('.backend-status');
    await status.waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('model-precisions').textContent()).toBe(
      ' Weights: backbone fp32, flow int8.',
    );
    await page.getByLabel('Manifest URL').fill(`${bundles}tokens-cls/manifest.json`);
    await page.getByRole('button', { name: 'Load bundle' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'does not fit' });
    await alert.waitFor({ timeout: 60_000 });
    expect(await alert.textContent()).toBe(
      'The bundle could not be opened: The segmenter encoder model (0.33 MB) does not fit: this ' +
        'device takes models of at most 0.21 MB. Try a bundle with fp16 or int8 weights ' +
        '(`npm run factory -- variants DIR`) or a browser with WebGPU. Still using ' +
        'fixture-external-data.',
    );

    // The open bundle still analyses an image.
    await page
      .locator('input[type="file"]')
      .first()
      .setInputFiles(resolve(root, 'fixtures/bundles/tokens-cls/golden/image.png'));
    await waitForImageStatus(page, 'image.png', ['done']);

    // The precision setting re-opens the bundle with the other weights.
    await page.getByLabel('Precision').selectOption('fp32');
    await page.getByText('Weights: backbone fp32, flow fp32.').waitFor({ timeout: 60_000 });
  });
});
