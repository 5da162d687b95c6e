/**
 * A model that fails in the middle of an analysis: a bundle whose flow only runs on landscape
 * images. The portrait image reports which model failed, on the image itself; the other images,
 * their metrics and the controls keep working, and the failed image can be removed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portraitPng, prepareAppInputs, type AppInputs, appMounts } from './support/appInputs';
import { canvasDraws, canvasPixels, waitForImageStatus } from './support/appPage';
import { writeFixedGridBundle } from './support/fixedGridBundle';
import { openAppSession, type AppSession } from './support/appSession';
import type { StaticServer } from './support/staticServer';

let inputs: AppInputs;
let portrait: string;
let server: StaticServer;
let session: AppSession | undefined;
let page: Page;
let pageErrors: string[] = [];

beforeAll(async () => {
  inputs = await prepareAppInputs('tokens-cls', { runCli: false });
  const bundles = mkdtempSync(join(tmpdir(), 'flowclas-fixed-grid-'));
  await writeFixedGridBundle(join(bundles, 'fixed-grid'));
  portrait = join(inputs.dir, 'portrait.png');
  portraitPng(inputs.images[0]?.path ?? '', portrait);
  session = await openAppSession(appMounts(inputs, bundles));
  ({ server, page, pageErrors } = session);
});

afterAll(async () => {
  await session?.close();
});

const thumb = (name: string) =>
  page.getByRole('button', { name: new RegExp(`^${name.replace('.', '\\.')}, `) });

describe('a model that fails on one image', () => {
  it('says which model failed on that image and analyses the others', async () => {
    await page.goto(`${server.urlOf('flowclas')}?manifest=../bundles/fixed-grid/manifest.json`);
    await page.locator('.backend-status').waitFor({ timeout: 120_000 });
    await page.getByText(/^fixed-grid-flow/).waitFor();
    const [first, second] = inputs.images;
    if (!first || !second) throw new Error('no input images');
    // Sorted by name, the portrait comes first, so it is selected and analysed first.
    await page
      .getByLabel('Choose images…')
      .setInputFiles([portrait, first.path, first.gtPath, second.path, second.gtPath]);
    await waitForImageStatus(page, 'portrait.png', ['error']);
    await page
      .getByRole('alert')
      .filter({
        hasText:
          /^The analysis of portrait\.png failed: The flow model \(flow\.onnx\) failed to run: .*broadcast/,
      })
      .waitFor();
    await page.getByText('Analysis failed', { exact: true }).first().waitFor();

    await waitForImageStatus(page, first.name, ['done']);
    await waitForImageStatus(page, second.name, ['done']);
    await page.getByRole('row', { name: /^Pooled/ }).waitFor();
    expect(await page.getByRole('row', { name: /^portrait\.png/ }).count()).toBe(0);
  });

  it('keeps the other images and the controls working', async () => {
    const name = inputs.images[0]?.name ?? '';
    await thumb(name).click();
    const label = `Refined anomaly heatmap of ${name}`;
    await canvasPixels(page, label);
    const draws = await canvasDraws(page, label);
    await page.getByLabel('Colour map').selectOption('viridis');
    await expect.poll(() => canvasDraws(page, label)).toBeGreaterThan(draws);
    await page.getByLabel('Colour map').selectOption('inferno');
    expect(await thumb(name).getAttribute('data-status')).toBe('done');
  });

  it('lets the failed image be removed, with its message', async () => {
    await page.getByRole('button', { name: 'Remove portrait.png' }).click();
    await thumb('portrait.png').waitFor({ state: 'detached' });
    expect(await page.getByRole('alert').filter({ hasText: 'portrait.png' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^sample\d\.png, done/ }).count()).toBe(2);
    expect(pageErrors).toEqual([]);
  });
});
