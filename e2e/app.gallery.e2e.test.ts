/**
 * The gallery over a session: samples that wait until asked for ("Analyse all", with the queue's
 * count), metrics that go when their images go, ground truth added after its image, the same
 * file added twice, and the samples back after "Remove all images".
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareAppInputs, type AppInputs, appMounts } from './support/appInputs';
import { waitForImageStatus } from './support/appPage';
import { openAppSession, type AppSession } from './support/appSession';
import type { StaticServer } from './support/staticServer';

let inputs: AppInputs;
let server: StaticServer;
let session: AppSession | undefined;
let page: Page;
let pageErrors: string[] = [];

beforeAll(async () => {
  inputs = await prepareAppInputs('map', { runCli: false });
  // Two samples with ground truth, served where the build's samples would be.
  const samples = join(inputs.dir, 'samples');
  mkdirSync(samples);
  const entries = inputs.images.map((image, index) => {
    copyFileSync(image.path, join(samples, `road_0${index + 1}.png`));
    copyFileSync(image.gtPath, join(samples, `road_0${index + 1}_gt.png`));
    return {
      name: `road_0${index + 1}.png`,
      image: `road_0${index + 1}.png`,
      groundTruth: `road_0${index + 1}_gt.png`,
      ...(index === 0 ? { note: 'a clear hit' } : {}),
    };
  });
  writeFileSync(join(samples, 'index.json'), JSON.stringify({ samples: entries }));
  const mounts = appMounts(inputs).map((mount) =>
    mount.prefix === 'flowclas/samples' ? { ...mount, root: samples } : mount,
  );
  session = await openAppSession(mounts);
  ({ server, page, pageErrors } = session);
});

afterAll(async () => {
  await session?.close();
});

const thumbs = () => page.locator('[data-item-id]');
const thumbNames = () =>
  thumbs().evaluateAll((elements) =>
    elements.map((element) => element.getAttribute('aria-label')?.split(', ')[0]),
  );
const queueText = () => page.locator('.queue-status output').textContent();
const metricsRows = () => page.getByRole('row', { name: /^Pooled/ });

describe('the gallery', () => {
  it('analyses the first sample by itself, the others on "Analyse all", and counts the queue', async () => {
    await page.goto(
      `${server.urlOf('flowclas')}?manifest=${server.urlOf('bundles')}map/manifest.json`,
    );
    await page.getByText(/^fixture-map/).waitFor({ timeout: 120_000 });
    await waitForImageStatus(page, 'road_01.png', ['done']);
    // a sample's note: under the heading of its results and as its thumbnail's tooltip
    expect(await page.locator('.results .sample-note').textContent()).toBe('Sample: a clear hit.');
    expect(await thumbs().first().getAttribute('title')).toBe('a clear hit');
    await expect.poll(queueText).toBe('1 of 2 analysed · 1 not analysed yet');
    expect(
      await page.getByRole('progressbar', { name: 'Analyses finished' }).getAttribute('value'),
    ).toBe('1');
    await page.getByRole('button', { name: 'Analyse all' }).click();
    await waitForImageStatus(page, 'road_02.png', ['done']);
    await expect.poll(queueText).toBe('2 of 2 analysed');
    expect(await page.getByRole('button', { name: 'Analyse all' }).count()).toBe(0);
    await metricsRows().waitFor();
  });

  it('drops the metrics with the images, and brings the samples back on request', async () => {
    await page.getByRole('button', { name: 'Remove all images' }).click();
    await page
      .getByText('Metrics appear once an image with ground truth has been analysed.')
      .waitFor();
    expect(await metricsRows().count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Save metrics CSV' }).count()).toBe(0);
    // The only image comes back with ground truth of the wrong size: still no metrics.
    await page
      .getByLabel('Choose images…')
      .setInputFiles([inputs.mismatched.path, inputs.mismatched.gtPath]);
    await waitForImageStatus(page, 'odd.png', ['done']);
    await page
      .locator('.results')
      .getByText(/odd_gt\.png is 10×10 but odd\.png is 73×45/)
      .waitFor();
    expect(await metricsRows().count()).toBe(0);
    await page.getByRole('button', { name: 'Remove all images' }).click();
    await page.getByRole('button', { name: 'Add the 2 sample images again' }).click();
    await expect.poll(thumbNames).toEqual(['road_01.png', 'road_02.png']);
  });

  it('pairs ground truth added after its image, and leaves out a file added twice', async () => {
    await page.getByRole('button', { name: 'Remove all images' }).click();
    const [first] = inputs.images;
    if (!first) throw new Error('no input image');
    await page.getByLabel('Choose images…').setInputFiles([first.path]);
    await waitForImageStatus(page, 'sample1.png', ['done']);
    expect(await metricsRows().count()).toBe(0);
    await page.getByLabel('Choose images…').setInputFiles([first.gtPath]);
    await page.getByText('Ground truth: sample1_gt.png').waitFor();
    await metricsRows().waitFor();
    expect(await page.getByText(/no image of that name/).count()).toBe(0);

    await page.getByLabel('Choose images…').setInputFiles([first.path]);
    await page.getByText('sample1.png is already in the gallery.').waitFor();
    expect(await thumbNames()).toEqual(['sample1.png']);
    // Another file of the same name is a second image, numbered.
    await page.getByLabel('Choose images…').setInputFiles([
      {
        name: 'sample1.png',
        mimeType: 'image/png',
        buffer: readFileSync(inputs.images[1]?.path ?? ''),
      },
    ]);
    await expect.poll(thumbNames).toEqual(['sample1.png', 'sample1 (2).png']);
    expect(pageErrors).toEqual([]);
  });

  it('analyses again when the prompt grid changes, and again when it changes back', async () => {
    await page.getByRole('button', { name: 'Remove all images' }).click();
    const [first] = inputs.images;
    await page.getByLabel('Choose images…').setInputFiles([first?.path ?? '']);
    await waitForImageStatus(page, 'sample1.png', ['done']);
    const masks = page.getByRole('img', { name: /^SAM 2 masks of sample1\.png \(\d+ masks\)$/ });
    const maskLabel = async () => {
      await masks.and(page.locator('[data-ready="true"]')).waitFor();
      return masks.getAttribute('aria-label');
    };
    const withBundleGrid = await maskLabel();
    const grid = page.getByLabel('Points per side');
    const bundleGrid = await grid.inputValue();
    await grid.fill('2');
    await waitForImageStatus(page, 'sample1.png', ['queued', 'running']);
    await waitForImageStatus(page, 'sample1.png', ['done']);
    await maskLabel();
    // Back to the bundle's grid: the earlier results were freed, so it is analysed again and
    // every view is drawn from the new results.
    await grid.fill(bundleGrid);
    await waitForImageStatus(page, 'sample1.png', ['queued', 'running']);
    await waitForImageStatus(page, 'sample1.png', ['done']);
    expect(await maskLabel()).toBe(withBundleGrid);
    await page
      .getByRole('img', { name: 'Refined anomaly heatmap of sample1.png', exact: true })
      .and(page.locator('[data-ready="true"]'))
      .waitFor();
    expect(pageErrors).toEqual([]);
  });
});
