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
/** FLOWCLAS_PHOTO_SIZE=WxH tries the bench on another size. */
const [WIDTH, HEIGHT] = (process.env.FLOWCLAS_PHOTO_SIZE ?? '8000x6000').split('x').map(Number) as [
  number,
  number,
];

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
 * outside it (copied by structured clone). Installed in the page and in every worker; plain
 * JavaScript text, so no compiler helper leaks into the browser.
 */
const COUNT_CROSSINGS = `(() => {
  if (globalThis.__crossings) return;
  const totals = { copied: 0, transferred: 0, messages: 0 };
  globalThis.__crossings = totals;
  const measure = (message, transfer) => {
    const moved = new Set(Array.isArray(transfer) ? transfer : []);
    const seen = new Set();
    const walk = (value, depth) => {
      if (value === null || typeof value !== 'object' || seen.has(value) || depth > 12) return;
      seen.add(value);
      if (value instanceof ArrayBuffer) {
        if (moved.has(value)) totals.transferred += value.byteLength;
        else totals.copied += value.byteLength;
        return;
      }
      if (ArrayBuffer.isView(value)) return walk(value.buffer, depth + 1);
      for (const key of Object.keys(value)) walk(value[key], depth + 1);
    };
    totals.messages += 1;
    walk(message, 0);
  };
  const patch = (target) => {
    if (!target) return;
    const original = target.postMessage;
    target.postMessage = function (...args) {
      const options = args[1];
      measure(args[0], Array.isArray(options) ? options : options && options.transfer);
      return original.apply(this, args);
    };
  };
  patch(globalThis.MessagePort && globalThis.MessagePort.prototype);
  if (typeof window !== 'undefined') patch(globalThis.Worker && globalThis.Worker.prototype);
  else patch(globalThis);
})()`;

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

const step = (what: string) => {
  if (process.env.FLOWCLAS_BENCH_VERBOSE) console.error(`${new Date().toISOString()} ${what}`);
};

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
    page.on('console', (message) => step(`console: ${message.text()}`));
    page.on('pageerror', (error) => step(`page error: ${error.message}`));
    page.on('crash', () => step('page crashed'));
    page.on('close', () => step('page closed'));
    await page.addInitScript({ content: COUNT_CROSSINGS });
    const workers: Worker[] = [];
    page.on('worker', (worker) => {
      // The app's own two workers; onnxruntime's thread-pool workers block in Atomics.wait and
      // never answer an evaluation.
      if (!/(view|analysis)Worker/.test(worker.url())) return;
      workers.push(worker);
      void worker.evaluate(COUNT_CROSSINGS).catch(() => undefined);
    });
    step('open app');
    await page.goto(
      `${server.urlOf('flowclas')}?manifest=${server.urlOf('bundles')}map/manifest.json`,
    );
    step('wait for bundle');
    await page.getByText(/^fixture-map/).waitFor({ timeout: 120_000 });
    // Both workers exist once a bundle is open and an image has been read.
    await page.waitForTimeout(500);
    await resetCrossings(page, workers).catch(() => undefined);
    const memory = samplePeakRss(browser.userDataDir, 100);
    const before = memory.peak();
    const started = Date.now();
    step(`add photo (page closed: ${page.isClosed()})`);
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
        name: `${WIDTH}×${HEIGHT} photo: added → refined view shown`,
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
