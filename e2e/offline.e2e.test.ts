/**
 * Offline after the first visit, on the server `npm start` runs: `vite preview` over the build,
 * with the project's Vite config. That server answers every file with `Vary: Origin`, and the
 * built page asks for its script and stylesheet with `crossorigin`, so the service worker's cache
 * must answer them all the same. The reload happens with the browser offline and the server shut
 * down: whatever the page shows then came from the caches.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canvasPixels, waitForImageStatus } from './support/appPage';
import { launchChromium, type LaunchedBrowser } from './support/chromium';

const root = resolve(import.meta.dirname, '..');
// FLOWCLAS_APP_DIST: another build of the app, as in the demo test.
const dist = process.env.FLOWCLAS_APP_DIST ?? resolve(root, 'dist');
const samplesIndex = resolve(dist, 'samples/index.json');
const hasBuild =
  existsSync(resolve(dist, 'sw.js')) &&
  existsSync(resolve(dist, 'models/demo/manifest.json')) &&
  existsSync(samplesIndex);
const firstSample: string = hasBuild
  ? (JSON.parse(readFileSync(samplesIndex, 'utf8')).samples[0]?.name ?? '')
  : '';

describe.skipIf(!hasBuild || !firstSample)("the app offline on npm start's server", () => {
  let server: PreviewServer;
  let appUrl: string;
  let browser: LaunchedBrowser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    // The same server and config as `npm start`, on a free port instead of 4173.
    server = await preview({
      root,
      logLevel: 'silent',
      build: { outDir: dist },
      preview: { port: 0, strictPort: true, open: false },
    });
    const url = server.resolvedUrls?.local[0];
    if (!url) throw new Error('vite preview gave no local URL');
    appUrl = url;
    browser = await launchChromium('no-webgpu');
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1440, height: 1000 });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('is served with Vary: Origin and a crossorigin script, which the cache must survive', async () => {
    const html = await (await fetch(appUrl)).text();
    const script = /<script type="module" crossorigin src="\.\/([^"]+)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const response = await fetch(new URL(script ?? '', appUrl));
    expect(response.ok).toBe(true);
    expect(response.headers.get('vary') ?? '').toMatch(/\bOrigin\b/i);
  });

  it('reloads offline into a working app that analyses the demo sample from its caches', async () => {
    await page.goto(appUrl);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
      timeout: 120_000,
    });
    await waitForImageStatus(page, firstSample, ['done'], 300_000);
    const heatmap = `Raw anomaly heatmap of ${firstSample}`;
    const online = await canvasPixels(page, heatmap);

    await browser.context.setOffline(true);
    await server.close();
    await page.reload();

    await page.getByRole('heading', { name: 'FlowCLAS Web' }).waitFor({ timeout: 60_000 });
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await page.getByTestId('bundle-cached').waitFor({ timeout: 240_000 });
    await waitForImageStatus(page, firstSample, ['done'], 300_000);
    const offline = await canvasPixels(page, heatmap);
    expect(offline.length).toBe(online.length);
    expect(offline.length).toBeGreaterThan(0);
    // The same bundle on the same image in the same browser: the same heatmap, pixel for pixel.
    expect(Buffer.from(offline).equals(Buffer.from(online))).toBe(true);
    expect(pageErrors).toEqual([]);
    // Two analyses on WebAssembly on a busy machine: more than the default test time.
  }, 600_000);
});
