/**
 * The app on WebGPU (SwiftShader): the bundle opens on WebGPU, the badge and the backend status
 * say so, and one image is analysed there. SwiftShader is slow, so this covers a single image.
 * When WebGPU computes wrong numbers, the self-check sends the models to WebAssembly and the
 * bundle panel says why.
 */
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareAppInputs, type AppInputs, appMounts } from './support/appInputs';
import { waitForImageStatus } from './support/appPage';
import { launchChromium, type LaunchedBrowser } from './support/chromium';
import { startStaticServer, type StaticServer } from './support/staticServer';

const root = resolve(import.meta.dirname, '..');

/**
 * Makes WebGPU in the page's analysis worker return wrong numbers, like the faulty kernels the
 * self-check exists for: every float read back from the GPU is off by 100. WASM is untouched.
 * The worker is started by a first bundle request (one that fails), before any model runs.
 */
async function breakWebGpuReadback(page: Page): Promise<void> {
  const worker = page.workers().find((candidate) => candidate.url().includes('analysisWorker'));
  if (!worker) throw new Error('the analysis worker has not started');
  await worker.evaluate(() => {
    const MAP_READ = 0x0001; // GPUBufferUsage.MAP_READ: the buffers results are read back from
    const read = GPUBuffer.prototype.getMappedRange;
    GPUBuffer.prototype.getMappedRange = function (this: GPUBuffer, ...args) {
      const range = read.apply(this, args);
      if (this.usage & MAP_READ) {
        const values = new Float32Array(range, 0, Math.floor(range.byteLength / 4));
        for (let i = 0; i < values.length; i++) values[i] = (values[i] ?? 0) + 100;
      }
      return range;
    };
  });
}

describe('the app on WebGPU with a fixture bundle', () => {
  let inputs: AppInputs;
  let server: StaticServer;
  let browser: LaunchedBrowser;

  beforeAll(async () => {
    inputs = await prepareAppInputs('map', { runCli: false });
    server = await startStaticServer({
      mounts: appMounts(inputs),
      crossOriginIsolated: true,
    });
    browser = await launchChromium('webgpu');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('runs the analysis on WebGPU and says so', async () => {
    const page = await browser.context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${server.urlOf('flowclas')}?manifest=../bundles/map/manifest.json`);
    expect(await page.locator('.backend-badge[data-webgpu]').getAttribute('data-webgpu')).toBe(
      'available',
    );
    const status = page.locator('.backend-status');
    await status.waitFor({ timeout: 240_000 });
    expect(await status.getAttribute('data-provider')).toBe('webgpu');
    const weights =
      'Weights: backbone fp32, flow fp32, segmenter encoder fp32, segmenter decoder fp32.';
    expect(await status.textContent()).toMatch(/^Models run on WebGPU \(.+\)\. /);
    expect(await status.textContent()).toContain(weights);

    const image = inputs.images[0];
    if (!image) throw new Error('no input image');
    await page.getByLabel('Choose images…').setInputFiles([image.path, image.gtPath]);
    await page.getByRole('button', { name: /^sample1\.png, done/ }).waitFor({ timeout: 280_000 });
    await page.getByText(/^Ran on WebGPU/).waitFor();
    await page.getByRole('row', { name: /^Pooled/ }).waitFor();
    await page.screenshot({ path: join(root, 'docs/screenshots/app-webgpu.png') });
    expect(pageErrors).toEqual([]);
  }, 600_000);

  it('falls back to WebAssembly when WebGPU gives wrong results, and says why', async () => {
    const page = await browser.context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${server.urlOf('flowclas')}?manifest=../bundles/missing/manifest.json`);
    await page.getByRole('alert').filter({ hasText: 'could not be opened' }).waitFor();
    await breakWebGpuReadback(page);

    await page
      .getByLabel('Manifest URL')
      .fill(`${server.urlOf('bundles')}tokens-cls/manifest.json`);
    await page.getByRole('button', { name: 'Load bundle' }).click();
    const status = page.locator('.backend-status');
    await status.waitFor({ timeout: 240_000 });
    // The browser offers WebGPU, but the models do not run there, and the panel says why.
    expect(await page.locator('.backend-badge').getAttribute('data-webgpu')).toBe('available');
    expect(await status.getAttribute('data-provider')).toBe('wasm');
    expect(await status.textContent()).toMatch(
      /^Models run on WebAssembly, \d+ threads?\. Weights: backbone fp32, flow fp32, segmenter encoder fp32, segmenter decoder fp32\. WebGPU not used: WebGPU gave wrong results on this device \(flow output "likelihood" differs from WebAssembly by .*\), so the models run on WebAssembly instead\.$/,
    );

    const image = inputs.images[0];
    if (!image) throw new Error('no input image');
    await page.getByLabel('Choose images…').setInputFiles([image.path, image.gtPath]);
    await waitForImageStatus(page, image.name, ['done']);
    await page.getByText(/^Ran on WebAssembly/).waitFor();
    expect(pageErrors).toEqual([]);
  }, 600_000);
});
