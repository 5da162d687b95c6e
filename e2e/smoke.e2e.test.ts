import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type BrowserMode, type LaunchedBrowser } from './support/chromium';
import { startStaticServer, type StaticServer } from './support/staticServer';

const distDir = resolve(import.meta.dirname, '..', 'dist');

describe.each<BrowserMode>(['webgpu', 'no-webgpu'])('app shell in Chromium (%s)', (mode) => {
  let server: StaticServer;
  let browser: LaunchedBrowser;

  beforeAll(async () => {
    server = await startStaticServer({
      mounts: [{ prefix: 'flowclas', root: distDir }],
      crossOriginIsolated: true,
    });
    browser = await launchChromium(mode);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('renders from a subpath and reports the WebGPU adapter', async () => {
    const page = await browser.context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const failedRequests: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failedRequests.push(`${response.status()} ${response.url()}`);
    });

    await page.goto(server.urlOf('flowclas'));
    await expect(page.getByRole('heading', { name: 'FlowCLAS Web' }).isVisible()).resolves.toBe(
      true,
    );
    const badge = page.locator('.backend-badge[data-webgpu]');
    await badge.waitFor();
    const state = await badge.getAttribute('data-webgpu');
    const text = (await badge.textContent()) ?? '';

    if (mode === 'webgpu') {
      expect(state).toBe('available');
      expect(text).toMatch(/^WebGPU adapter: \S/);
    } else {
      expect(state).toBe('unavailable');
      expect(text).toContain('Models will run on WebAssembly');
    }
    expect(pageErrors).toEqual([]);
    expect(failedRequests).toEqual([]);
    await page.close();
  });
});
