/**
 * The app as a visitor first sees it: the demo bundle opens by itself, the bundled samples fill
 * the gallery and the first is analysed right away. Heatmaps and metrics are checked against the
 * CLI on the same samples. Skipped while the build ships no demo bundle or no samples.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreMapToRgba } from '../src/core/render';
import { readScoreMap, runCliScore } from './support/appInputs';
import {
  canvasDraws,
  canvasPixels,
  clearLongTasks,
  longTasks,
  observeLongTasks,
  waitForImageStatus,
} from './support/appPage';
import { launchChromium, type LaunchedBrowser } from './support/chromium';
import { startStaticServer, type StaticServer } from './support/staticServer';

const root = resolve(import.meta.dirname, '..');
// FLOWCLAS_APP_DIST: another build of the app (e.g. one made with a stand-in demo bundle).
const dist = process.env.FLOWCLAS_APP_DIST ?? resolve(root, 'dist');
const samplesDir = resolve(dist, 'samples');
const samples = existsSync(samplesDir)
  ? readdirSync(samplesDir)
      .filter((name) => /\.png$/.test(name) && !name.endsWith('_gt.png'))
      .sort()
      .slice(0, 2)
  : [];
const hasDemo = existsSync(resolve(dist, 'models/demo/manifest.json')) && samples.length > 0;

describe.skipIf(!hasDemo)('the app with the demo bundle (WebAssembly)', () => {
  let server: StaticServer;
  let browser: LaunchedBrowser;
  let page: Page;
  let cliOut: string;
  let display: { colormap: 'inferno'; scoreRange: [number, number] };

  beforeAll(async () => {
    cliOut = mkdtempSync(join(tmpdir(), 'flowclas-demo-cli-'));
    runCliScore(
      resolve(dist, 'models/demo'),
      cliOut,
      samples.map((name) => join(samplesDir, name)),
    );
    display = JSON.parse(readFileSync(resolve(dist, 'models/demo/manifest.json'), 'utf8')).display;
    server = await startStaticServer({
      mounts: [{ prefix: 'flowclas', root: dist }],
      crossOriginIsolated: true,
    });
    browser = await launchChromium('no-webgpu');
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1440, height: 1000 });
    await observeLongTasks(page);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const thumb = (name: string) =>
    page.getByRole('button', { name: new RegExp(`^${name.replace('.', '\\.')}, `) });

  it('opens the demo and analyses the first sample right away, as the CLI does', async () => {
    await page.goto(server.urlOf('flowclas'));
    await page.locator('.backend-status').waitFor({ timeout: 240_000 });
    const first = samples[0] ?? '';
    await page
      .locator('[data-status="running"], [data-status="done"]')
      .first()
      .waitFor({ timeout: 120_000 });
    await clearLongTasks(page);
    await waitForImageStatus(page, first, ['done'], 300_000);
    console.info(
      `demo: longest main-thread task while analysing ${Math.max(0, ...(await longTasks(page)))} ms`,
    );
    const timing = async (label: string) => {
      const ms = await page
        .locator('.timing')
        .filter({ hasText: label })
        .locator('dd')
        .getAttribute('data-ms');
      console.info(`demo ${first}: ${label} ${Number(ms).toFixed(0)} ms`);
      return Number(ms);
    };
    // The raw heatmap is shown while SAM 2 still runs (its 1,024 prompts take most of the time),
    // not with the masks at the end.
    expect(await timing('First heatmap')).toBeLessThan(0.5 * (await timing('Full result')));
    const opened = await page
      .locator('[data-ms]')
      .filter({ hasText: /^Opened in/ })
      .getAttribute('data-ms');
    console.info(`demo bundle opened (cold): ${Number(opened).toFixed(0)} ms`);
    const stem = first.replace('.png', '');
    const expected = scoreMapToRgba(readScoreMap(join(cliOut, `${stem}.score.npy`)), {
      colormap: display.colormap,
      range: display.scoreRange,
    });
    // Compared with colouring over the bundle's fixed range (the app starts on the maps' own).
    await page.getByLabel('Score range').selectOption('fixed');
    const pixels = await canvasPixels(page, `Raw anomaly heatmap of ${first}`);
    let equal = 0;
    for (let i = 0; i < expected.length; i += 4) {
      if ([0, 1, 2, 3].every((c) => Math.abs((pixels[i + c] ?? 0) - (expected[i + c] ?? 0)) <= 4))
        equal++;
    }
    expect(equal / (expected.length / 4)).toBeGreaterThan(0.99);
    // The screenshot shows the app as a visitor sees it, on the maps' own range.
    const draws = await canvasDraws(page, `Raw anomaly heatmap of ${first}`);
    await page.getByLabel('Score range').selectOption('auto');
    await expect
      .poll(() => canvasDraws(page, `Raw anomaly heatmap of ${first}`))
      .toBeGreaterThan(draws);
    await page.screenshot({ path: join(root, 'docs/screenshots/app-demo.png'), fullPage: true });
  });

  it.skipIf(samples.length < 2)('pools metrics over the samples like the CLI', async () => {
    const second = samples[1] ?? '';
    await thumb(second).click();
    await waitForImageStatus(page, second, ['done'], 300_000);
    // Samples without ground truth have no metrics to compare.
    if (!existsSync(join(cliOut, 'metrics.json'))) return;
    const cli = JSON.parse(readFileSync(join(cliOut, 'metrics.json'), 'utf8'));
    const pooled = page.getByRole('row', { name: /^Pooled/ }).locator('td');
    await expect
      .poll(async () => Number(await pooled.nth(1).getAttribute('data-value')), { timeout: 60_000 })
      // The masks are the same, but float noise between onnxruntime-web and -node can move a
      // pixel across a smoothing-bin edge (README, Metrics): a few pixels on these samples, a
      // whole mask where two bins nearly tie (road_03), so refined is held less tightly than raw.
      .toBeCloseTo(cli.refined.auprc, 2);
    expect(Number(await pooled.nth(0).getAttribute('data-value'))).toBeCloseTo(cli.raw.auprc, 4);
    // Component metrics (a folded table): the CLI's threshold rule and size limits.
    const components = page.locator('details.component-metrics');
    await components.locator('summary').click();
    const cells = components.getByRole('row', { name: /^Pooled/ }).locator('td');
    const value = async (index: number) =>
      Number(await cells.nth(index).getAttribute('data-value'));
    // Cells: sIoU raw, refined, Δ, PPV raw, refined, Δ, mean F1 raw, refined, Δ.
    expect(await value(0)).toBeCloseTo(cli.raw.components.sIoU, 3);
    expect(await value(3)).toBeCloseTo(cli.raw.components.ppv, 3);
    expect(await value(6)).toBeCloseTo(cli.raw.components.meanF1, 3);
    expect(await value(7)).toBeCloseTo(cli.refined.components.meanF1, 1);
    await components.locator('summary').click();
  });

  it('reopens the demo from the cache on the next visit', async () => {
    await page.reload();
    await page.getByTestId('bundle-cached').waitFor({ timeout: 240_000 });
    const opened = page.locator('[data-ms]').filter({ hasText: /^Opened in/ });
    await opened.waitFor({ timeout: 240_000 });
    console.info(
      `demo bundle opened (cached): ${Number(await opened.getAttribute('data-ms')).toFixed(0)} ms`,
    );
  });
});
