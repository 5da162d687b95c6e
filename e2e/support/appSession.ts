/**
 * What most app browser tests start from: a static server with the app and its mounts, and a
 * Chromium page on WebAssembly at a desktop size that records the page's uncaught errors.
 */
import type { Page } from 'playwright-core';
import { launchChromium, type LaunchedBrowser } from './chromium';
import { startStaticServer, type StaticServer } from './staticServer';

export interface AppSession {
  server: StaticServer;
  browser: LaunchedBrowser;
  page: Page;
  /** Messages of uncaught errors in the page, in order. */
  pageErrors: string[];
  close(): Promise<void>;
}

export async function openAppSession(
  mounts: { prefix: string; root: string }[],
  { crossOriginIsolated = true }: { crossOriginIsolated?: boolean } = {},
): Promise<AppSession> {
  const server = await startStaticServer({ mounts, crossOriginIsolated });
  const browser = await launchChromium('no-webgpu');
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1440, height: 1000 });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return {
    server,
    browser,
    page,
    pageErrors,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}
