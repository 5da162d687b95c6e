import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const chromiumPath = process.env.FLOWCLAS_CHROMIUM ?? '/usr/bin/chromium';

/** Execution-provider setups the app must work under. */
export type BrowserMode = 'webgpu' | 'no-webgpu';

// Keep Chromium from reaching out to the network (it cannot, and retries slow it down).
const quietFlags = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const modeFlags: Record<BrowserMode, string[]> = {
  // SwiftShader gives headless Chromium a real (software) WebGPU adapter.
  webgpu: ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-angle=swiftshader'],
  'no-webgpu': ['--disable-features=WebGPU', '--disable-webgpu'],
};

export interface LaunchedBrowser {
  context: BrowserContext;
  /** The profile folder: its path names this browser's processes (for memory readings). */
  userDataDir: string;
  close(): Promise<void>;
}

/** A fresh persistent context (own user-data dir, so caches start empty). */
export async function launchChromium(mode: BrowserMode): Promise<LaunchedBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'flowclas-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: [...quietFlags, ...modeFlags[mode]],
    acceptDownloads: true,
  });
  return {
    context,
    userDataDir,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
