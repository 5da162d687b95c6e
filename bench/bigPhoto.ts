/**
 * One 8000×6000 photo through the app (Chromium, WASM, the fixture bundle): peak memory of the
 * browser's processes and the bytes that cross threads (page ↔ workers ↔ workers), copied or
 * transferred, from adding the photo until its result is shown.
 *
 * FLOWCLAS_APP_DIST=DIR measures another build of the app (e.g. an older commit's) the same way.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decode, encode } from 'fast-png';
import type { Page, Worker } from 'playwright-core';
import type { BenchRow } from './benchKit';
import { samplePeakRss } from './processMemory';

const root = resolve(import.meta.dirname, '..');
const WIDTH = 8000;
const HEIGHT = 6000;

/** The fixture photo scaled up (nearest neighbour) to 8000×6000, written once per machine. */
function bigPhoto(): string {
  const path = join(tmpdir(), `flowclas-photo-${WIDTH}x${HEIGHT}.png`);
  if (existsSync(path)) return path;
  const source = decode(readFileSync(resolve(root, 'fixtures/bundles/map/golden/image.png')));
  const channels = source.channels;
  const data = new Uint8Array(WIDTH * HEIGHT * channels);
  for (let y = 0; y < HEIGHT; y++) {
    const row = Math.floor((y * source.height) / HEIGHT) * source.width;
    for (let x = 0; x < WIDTH; x++) {
      const from = (row + Math.floor((x * source.width) / WIDTH)) * channels;
      for (let c = 0; c < channels; c++)
        data[(y * WIDTH + x) * channels + c] = source.data[from + c] as number;
    }
  }
  writeFileSync(path, encode({ width: WIDTH, height: HEIGHT, data, channels, depth: 8 }));
  return path;
}

/**
 * Counts what each postMessage carries: bytes of array buffers in the transfer list (moved) and
 * outside it (copied by structured clone). Installed in the page and in every worker.
 */
function countCrossings(scope: string): void {
  const global = globalThis as unknown as { __crossings?: Crossings };
  if (global.__crossings) return;
  const totals: Crossings = { copied: 0, transferred: 0, messages: 0 };
  global.__crossings = totals;
  const measure = (message: unknown, transfer: unknown) => {
    const moved = new Set<unknown>(Array.isArray(transfer) ? transfer : []);
    const seen = new Set<unknown>();
    const walk = (value: unknown, depth: number): void => {
      if (value === null || typeof value !== 'object' || seen.has(value) || depth > 12) return;
      seen.add(value);
      if (value instanceof ArrayBuffer) {
        if (moved.has(value)) totals.transferred += value.byteLength;
        else totals.copied += value.byteLength;
        return;
      }
      if (ArrayBuffer.isView(value)) {
        walk(value.buffer, depth + 1);
        return;
      }
      for (const key of Object.keys(value))
        walk((value as Record<string, unknown>)[key], depth + 1);
    };
    totals.messages += 1;
    walk(message, 0);
  };
  const patch = (proto: { postMessage: (...args: never[]) => void } | undefined) => {
    if (!proto) return;
    const original = proto.postMessage;
    proto.postMessage = function (this: unknown, ...args: unknown[]) {
      const [message, options] = args;
      const transfer = Array.isArray(options)
        ? options
        : (options as { transfer?: unknown[] } | undefined)?.transfer;
      measure(message, transfer);
      return (original as (...a: unknown[]) => void).apply(this, args);
    } as never;
  };
  patch(globalThis.MessagePort?.prototype as never);
  if (scope === 'page') patch(globalThis.Worker?.prototype as never);
  else patch(globalThis as never);
}

interface Crossings {
  copied: number;
  transferred: number;
  messages: number;
}

async function readCrossings(page: Page, workers: Worker[]): Promise<Record<string, Crossings>> {
  const read = () => (globalThis as unknown as { __crossings: Crossings }).__crossings;
  const result: Record<string, Crossings> = { page: await page.evaluate(read) };
  for (const worker of workers)
    result[worker.url().split('/').pop() ?? 'worker'] = await worker.evaluate(read);
  return result;
}

async function resetCrossings(page: Page, workers: Worker[]): Promise<void> {
  const reset = () => {
    const totals = (globalThis as unknown as { __crossings: Crossings }).__crossings;
    Object.assign(totals, { copied: 0, transferred: 0, messages: 0 });
  };
  await page.evaluate(reset);
  for (const worker of workers) await worker.evaluate(reset);
}

const megabytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

export async function main(): Promise<BenchRow[]> {
  const { launchChromium } = await import('../e2e/support/chromium');
  const { startStaticServer } = await import('../e2e/support/staticServer');
  const dist = process.env.FLOWCLAS_APP_DIST ?? resolve(root, 'dist');
  const photo = bigPhoto();
  const empty = mkdtempSync(join(tmpdir(), 'flowclas-no-samples-'));
  mkdirSync(empty, { recursive: true });
  writeFileSync(join(empty, 'index.json'), '[]');
  const server = await startStaticServer({
    mounts: [
      { prefix: 'flowclas/samples', root: empty },
      { prefix: 'flowclas', root: dist },
      { prefix: 'bundles', root: resolve(root, 'fixtures/bundles') },
    ],
    crossOriginIsolated: true,
  });
  const browser = await launchChromium('no-webgpu');
  try {
    const page = await browser.context.newPage();
    await page.addInitScript(countCrossings, 'page');
    const workers: Worker[] = [];
    page.on('worker', (worker) => {
      workers.push(worker);
      void worker.evaluate(countCrossings, 'worker').catch(() => undefined);
    });
    await page.goto(
      `${server.urlOf('flowclas')}?manifest=${server.urlOf('bundles')}map/manifest.json`,
    );
    await page.getByText(/^fixture-map/).waitFor({ timeout: 120_000 });
    // Both workers exist once a bundle is open and an image has been read.
    await page.waitForTimeout(500);
    await resetCrossings(page, workers).catch(() => undefined);
    const memory = samplePeakRss(browser.userDataDir, 100);
    const before = memory.peak();
    const started = Date.now();
    await page.getByLabel('Choose images…').setInputFiles([photo]);
    const thumb = page.locator('[data-item-id]').first();
    await page
      .locator('[data-item-id][data-status="done"], [data-item-id][data-status="error"]')
      .waitFor({ timeout: 590_000 });
    if ((await thumb.getAttribute('data-status')) === 'error') {
      const alerts = await page.getByRole('alert').allTextContents();
      throw new Error(`The photo failed: ${alerts.join(' | ')}`);
    }
    await page
      .getByRole('img', { name: /^Refined anomaly heatmap of/ })
      .and(page.locator('[data-ready="true"]'))
      .waitFor({ timeout: 120_000 });
    await page.waitForTimeout(1000);
    const elapsed = Date.now() - started;
    const crossings = await readCrossings(page, workers);
    const peak = memory.peak();
    memory.stop();
    const rows: BenchRow[] = [
      { name: 'app build', value: dist.startsWith(root) ? dist.slice(root.length + 1) : dist },
      {
        name: '8000×6000 photo: added → refined view shown',
        value: `${(elapsed / 1000).toFixed(1)} s`,
      },
      { name: 'peak RSS of all browser processes', value: megabytes(Math.max(peak, before)) },
    ];
    let copied = 0;
    let transferred = 0;
    for (const [scope, totals] of Object.entries(crossings)) {
      copied += totals.copied;
      transferred += totals.transferred;
      rows.push({
        name: `  posted by ${scope}`,
        value: `${megabytes(totals.copied)} copied, ${megabytes(totals.transferred)} transferred, ${totals.messages} messages`,
      });
    }
    rows.push({
      name: 'bytes crossing threads',
      value: `${megabytes(copied)} copied, ${megabytes(transferred)} transferred`,
    });
    return rows;
  } finally {
    await browser.close();
    await server.close();
  }
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) {
  for (const row of await main()) console.log(`${row.name.padEnd(48)} ${row.value}`);
}
