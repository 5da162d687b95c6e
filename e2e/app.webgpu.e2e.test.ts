/**
 * The app on WebGPU (SwiftShader): the bundle opens on WebGPU, the badge and the backend status
 * say so, and one image is analysed there. SwiftShader is slow, so this covers a single image.
 */
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareAppInputs, type AppInputs } from './support/appInputs';
import { launchChromium, type LaunchedBrowser } from './support/chromium';
import { startStaticServer, type StaticServer } from './support/staticServer';

const root = resolve(import.meta.dirname, '..');

describe('the app on WebGPU with a fixture bundle', () => {
  let inputs: AppInputs;
  let server: StaticServer;
  let browser: LaunchedBrowser;

  beforeAll(async () => {
    inputs = await prepareAppInputs('map', { runCli: false });
    server = await startStaticServer({
      mounts: [
        // The build's samples would join the gallery; these tests bring their own images.
        { prefix: 'flowclas/samples', root: inputs.noSamplesDir },
        { prefix: 'flowclas', root: resolve(root, 'dist') },
        { prefix: 'bundles', root: resolve(root, 'fixtures/bundles') },
      ],
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
    expect(await status.textContent()).toMatch(/^Models run on WebGPU \(.+\)\.$/);

    const image = inputs.images[0];
    if (!image) throw new Error('no input image');
    await page.getByLabel('Choose images…').setInputFiles([image.path, image.gtPath]);
    await page.getByRole('button', { name: /^sample1\.png, done/ }).waitFor({ timeout: 280_000 });
    await page.getByText(/^Ran on WebGPU/).waitFor();
    await page.getByRole('row', { name: /^Pooled/ }).waitFor();
    await page.screenshot({ path: join(root, 'docs/screenshots/app-webgpu.png') });
    expect(pageErrors).toEqual([]);
  }, 600_000);
});
