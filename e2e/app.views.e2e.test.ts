/**
 * What the heatmaps mean and where they are: colour bars that give the range the maps are
 * coloured with (checked against the maps the app exports), labelled before/after sides,
 * histogram count axes (checked against histograms of those maps), the colour bar in a saved PNG,
 * and a narrow window that shows a heatmap on its first screen and scrolls wide tables.
 */
import { readFileSync } from 'node:fs';
import { decode } from 'fast-png';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeNpy, scoreMapFromNpy } from '../src/core/io/npy';
import { labelMapFromPng } from '../src/core/io/png';
import { scoreHistogram } from '../src/core/metrics';
import { colormapLut, colourBarStrip, scoreMapToRgba } from '../src/core/render';
import type { ScoreMap } from '../src/core/types';
import { prepareAppInputs, type AppInputs, appMounts } from './support/appInputs';
import { canvasPixels, waitForImageStatus } from './support/appPage';
import { openAppSession, type AppSession } from './support/appSession';
import type { StaticServer } from './support/staticServer';

let inputs: AppInputs;
let server: StaticServer;
let session: AppSession | undefined;
let page: Page;
let pageErrors: string[] = [];

beforeAll(async () => {
  inputs = await prepareAppInputs('map', { runCli: false });
  session = await openAppSession(appMounts(inputs));
  ({ server, page, pageErrors } = session);
});

afterAll(async () => {
  await session?.close();
});

const first = () => inputs.images[0] ?? { name: '', path: '', gtPath: '' };

async function save(button: string): Promise<Buffer> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).click(),
  ]);
  return readFileSync(await download.path());
}

/** The refined map as the app exports it (with smoothing off, that is the raw map). */
async function exportedMap(): Promise<ScoreMap> {
  const bytes = new Uint8Array(await save('Save refined map (.npy)'));
  return scoreMapFromNpy(decodeNpy(bytes, 'refined.npy'), 'refined.npy');
}

function extentOf(...maps: ScoreMap[]): [number, number] {
  const values = maps.flatMap((map) => [...map.data]);
  return [Math.min(...values), Math.max(...values)];
}

const heatmapBar = (view: string) =>
  page
    .getByRole('figure')
    .filter({ hasText: view })
    .getByRole('img', { name: /^Colour scale/ });

/** The bar's exact range (data attributes) and the three numbers it shows. */
async function barOf(view: string) {
  const bar = heatmapBar(view);
  await bar.waitFor();
  return {
    range: [Number(await bar.getAttribute('data-lo')), Number(await bar.getAttribute('data-hi'))],
    label: await bar.getAttribute('aria-label'),
    numbers: (await bar.locator('.colour-bar-tick').allTextContents()).map(Number),
  };
}

describe('the views explain their colours and counts', () => {
  it('colours the heatmaps over the maps’ own range and shows that range on colour bars', async () => {
    await page.goto(`${server.urlOf('flowclas')}?manifest=../bundles/map/manifest.json`);
    await page.getByText(/^fixture-map/).waitFor({ timeout: 120_000 });
    await page.locator('.backend-status').waitFor({ timeout: 120_000 });
    await page
      .getByLabel('Choose images…')
      .setInputFiles(inputs.images.flatMap((image) => [image.path, image.gtPath]));
    for (const image of inputs.images) await waitForImageStatus(page, image.name, ['done']);
    await page.getByRole('button', { name: new RegExp(`^${first().name}, `) }).click();
    expect(await page.getByLabel('Score range').inputValue()).toBe('auto');

    const refined = await exportedMap();
    const [lo, hi] = extentOf(refined);
    await page.getByLabel('Mask-based smoothing').uncheck();
    // Smoothing off: the refined map is the raw one, and the range is the raw map's alone.
    await expect.poll(async () => (await barOf('Refined heatmap')).range).not.toEqual([lo, hi]);
    const raw = await exportedMap();
    const rawRange = extentOf(raw);
    const rawBar = await barOf('Raw heatmap');
    expect(rawBar.range).toEqual(rawRange);
    expect(rawBar.numbers[0]).toBeCloseTo(rawRange[0], 2);
    expect(rawBar.numbers[1]).toBeCloseTo((rawRange[0] + rawRange[1]) / 2, 2);
    expect(rawBar.numbers[2]).toBeCloseTo(rawRange[1], 2);
    // The heatmap's pixels are the colour map over exactly that range.
    const expected = scoreMapToRgba(raw, {
      colormap: 'inferno',
      range: rawBar.range as [number, number],
    });
    expect(
      Buffer.compare(
        Buffer.from(await canvasPixels(page, `Raw anomaly heatmap of ${first().name}`)),
        Buffer.from(expected),
      ),
    ).toBe(0);

    await page.getByLabel('Mask-based smoothing').check();
    // Smoothing on: one range over the raw and refined maps, the same on all three bars.
    const both = extentOf(raw, refined);
    expect([lo, hi]).not.toEqual(both);
    await expect.poll(async () => (await barOf('Refined heatmap')).range).toEqual(both);
    for (const view of ['Raw heatmap', 'Refined heatmap']) {
      const bar = await barOf(view);
      expect(bar.range).toEqual(both);
      expect(bar.label).toMatch(/^Colour scale inferno from 0\.\d+ to 0\.\d+$/);
      expect(bar.numbers[0]).toBeCloseTo(both[0], 2);
      expect(bar.numbers[2]).toBeCloseTo(both[1], 2);
    }
    const compare = page.getByRole('region', { name: 'Before and after' });
    expect(
      Number(await compare.getByRole('img', { name: /^Colour scale/ }).getAttribute('data-hi')),
    ).toBe(both[1]);

    // The fixed range is one choice away, and the bars follow it.
    await page.getByLabel('Score range').selectOption('fixed');
    await expect.poll(async () => (await barOf('Raw heatmap')).range).toEqual([0, 1]);
    expect((await barOf('Raw heatmap')).numbers).toEqual([0, 0.5, 1]);
    await page.getByLabel('Score range').selectOption('auto');

    await page.getByLabel('Show binary map').check();
    await page.getByLabel('Threshold score').fill('0.6');
    const threshold = page.getByRole('figure').filter({ hasText: 'Raw heatmap' }).getByRole('img', {
      name: 'Threshold view: white at or above 0.60, darkened below',
    });
    expect(await threshold.locator('.colour-bar-tick').allTextContents()).toEqual([
      '< 0.60',
      '≥ 0.60',
    ]);
    await page.getByLabel('Show binary map').uncheck();
  });

  it('labels the sides of the before/after slider', async () => {
    const compare = page.getByRole('region', { name: 'Before and after' });
    const stack = await compare.locator('.compare-stack').boundingBox();
    const before = await compare.getByText('Raw', { exact: true }).boundingBox();
    const after = await compare.getByText('Refined', { exact: true }).boundingBox();
    if (!stack || !before || !after) throw new Error('before/after not laid out');
    // Over the picture: "Raw" at its left edge, "Refined" at its right.
    expect(before.x).toBeGreaterThanOrEqual(stack.x);
    expect(before.x + before.width).toBeLessThan(stack.x + stack.width / 2);
    expect(after.x).toBeGreaterThan(stack.x + stack.width / 2);
    expect(after.x + after.width).toBeLessThanOrEqual(stack.x + stack.width);
    expect(before.y).toBeGreaterThanOrEqual(stack.y);
    expect(after.y + after.height).toBeLessThan(stack.y + stack.height);
  });

  it('gives the histograms count axes whose tops are the largest bins', async () => {
    await page.getByLabel('Mask-based smoothing').uncheck();
    const raw = await exportedMap();
    const bar = await barOf('Raw heatmap');
    const labels = labelMapFromPng(new Uint8Array(readFileSync(first().gtPath)), 'gt');
    const histogram = scoreHistogram(raw, {
      bins: 50,
      range: bar.range as [number, number],
      labels,
    });
    const maxOf = (counts: Uint32Array | undefined) => Math.max(...(counts ?? []));
    const chart = page.getByRole('figure').filter({ hasText: 'Raw scores' });
    const inliers = chart.locator('.count-axis[data-series="inlierCounts"]');
    const anomalies = chart.locator('.count-axis[data-series="anomalyCounts"]');
    await expect
      .poll(async () => Number(await inliers.getAttribute('data-max')))
      .toBe(maxOf(histogram.inlierCounts));
    expect(Number(await anomalies.getAttribute('data-max'))).toBe(maxOf(histogram.anomalyCounts));
    expect(await inliers.locator('.count-tick').allTextContents()).toEqual([
      '0',
      String(Math.round(maxOf(histogram.inlierCounts) / 2)),
      String(maxOf(histogram.inlierCounts)),
    ]);
    expect(await chart.getByText('inlier pixels, linear').isVisible()).toBe(true);
    expect(await chart.getByText('anomaly pixels, linear').isVisible()).toBe(true);
    // The top tick sits level with the top of the bars, 0 with their bottom.
    const plot = await chart.getByRole('img', { name: /^Raw scores: / }).boundingBox();
    const ticks = await inliers.locator('.count-tick').evaluateAll((spans) =>
      spans.map((span) => {
        const box = span.getBoundingClientRect();
        return box.top + box.height / 2;
      }),
    );
    if (!plot) throw new Error('histogram not laid out');
    expect(Math.abs((ticks[0] ?? 0) - (plot.y + plot.height))).toBeLessThan(2);
    expect(Math.abs((ticks[2] ?? 0) - plot.y)).toBeLessThan(2);

    await page.getByRole('checkbox', { name: 'Log counts' }).check();
    await chart.getByText('inlier pixels, log').waitFor();
    await page.getByRole('checkbox', { name: 'Log counts' }).uncheck();
    await page.getByLabel('Mask-based smoothing').check();
  });

  it('puts the colour bar with its numbers below a saved heatmap when asked', async () => {
    const plain = decode(new Uint8Array(await save('Save PNG of the Raw heatmap view')));
    expect([plain.width, plain.height]).toEqual([73, 45]);
    await page.getByLabel('Colour bar in saved PNGs').check();
    const png = decode(new Uint8Array(await save('Save PNG of the Raw heatmap view')));
    const strip = colourBarStrip({ kind: 'colour', colormap: 'inferno', range: [0, 1] }, 73);
    expect([png.width, png.height]).toEqual([73, 45 + strip.layout.height]);
    const { bar, textTop } = strip.layout;
    const pixel = (x: number, y: number) => {
      const at = (y * png.width + x) * png.channels;
      return Array.from(png.data.slice(at, at + 3));
    };
    const lut = colormapLut('inferno');
    const barRow = 45 + bar.top + 1;
    expect(pixel(bar.left, barRow)).toEqual(Array.from(lut.subarray(0, 3)));
    expect(pixel(bar.left + bar.width - 1, barRow)).toEqual(
      Array.from(lut.subarray(255 * 4, 255 * 4 + 3)),
    );
    // The numbers are drawn: dark pixels on the white band below the bar.
    let dark = 0;
    for (let y = 45 + textTop; y < png.height; y++) {
      for (let x = 0; x < png.width; x++) if ((pixel(x, y)[0] ?? 255) < 128) dark++;
    }
    expect(dark).toBeGreaterThan(20);
    await page.getByLabel('Colour bar in saved PNGs').uncheck();
  });
});

describe('a narrow window', () => {
  it('shows a heatmap on the first screen and scrolls the metrics table inside its panel', async () => {
    // A camera's file name has no place to break, so the table cannot narrow its first column.
    const cameraName = 'IMG_20240601_153012_0001_HDR_panorama';
    const copies = [
      { name: `${cameraName}.png`, mimeType: 'image/png', buffer: readFileSync(first().path) },
      { name: `${cameraName}_gt.png`, mimeType: 'image/png', buffer: readFileSync(first().gtPath) },
    ];
    await page.getByLabel('Choose images…').setInputFiles(copies);
    await waitForImageStatus(page, `${cameraName}.png`, ['done']);
    await page.getByRole('row', { name: new RegExp(`^${cameraName}`) }).waitFor();
    await page.getByRole('button', { name: new RegExp(`^${first().name}, `) }).click();
    await page.setViewportSize({ width: 800, height: 900 });
    await page.evaluate(() => window.scrollTo(0, 0));
    const heatmap = await page
      .getByRole('img', { name: `Raw anomaly heatmap of ${first().name}`, exact: true })
      .boundingBox();
    if (!heatmap) throw new Error('heatmap not laid out');
    console.info(
      `800×900: raw heatmap from y = ${heatmap.y.toFixed(0)} to ${(heatmap.y + heatmap.height).toFixed(0)}`,
    );
    expect(heatmap.y).toBeGreaterThan(0);
    expect(heatmap.y + heatmap.height).toBeLessThan(900);
    // The images come before the settings.
    const gallery = await page.getByRole('navigation', { name: 'Images' }).boundingBox();
    const settings = await page.getByRole('region', { name: 'View settings' }).boundingBox();
    expect(gallery?.y ?? Infinity).toBeLessThan(heatmap.y);
    expect(settings?.y ?? 0).toBeGreaterThan(heatmap.y + heatmap.height);

    const table = page.getByRole('region', { name: 'Pixel metrics table' });
    const layout = await table.evaluate((element) => ({
      scrollWidth: element.scrollWidth,
      clientWidth: element.clientWidth,
      overflowX: getComputedStyle(element).overflowX,
      pageWidth: document.documentElement.scrollWidth,
    }));
    console.info(
      `800×900: metrics table ${layout.scrollWidth} px wide in ${layout.clientWidth} px`,
    );
    expect(layout.overflowX).toBe('auto');
    expect(layout.scrollWidth).toBeGreaterThan(layout.clientWidth);
    // The page itself does not scroll sideways: the table does, inside its panel.
    expect(layout.pageWidth).toBeLessThanOrEqual(800);
    await table.evaluate((element) => element.scrollTo({ left: element.scrollWidth }));
    expect(await table.evaluate((element) => element.scrollLeft)).toBeGreaterThan(0);
    expect(pageErrors).toEqual([]);
  });
});
