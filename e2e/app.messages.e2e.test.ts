/**
 * What the app says when something is off, on a host without cross-origin isolation: why
 * WebAssembly runs one thread, a manifest URL answered by an HTML page, an invalid manifest in
 * words, a long URL that stays inside the sidebar, a refused bin count, and why a failed image
 * failed, read from its thumbnail without selecting it.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareAppInputs, type AppInputs, appMounts } from './support/appInputs';
import { waitForImageStatus } from './support/appPage';
import { openAppSession, type AppSession } from './support/appSession';
import type { StaticServer } from './support/staticServer';

const root = resolve(import.meta.dirname, '..');

let inputs: AppInputs;
let emptyImage: string;
let server: StaticServer;
let session: AppSession | undefined;
let page: Page;
let pageErrors: string[] = [];

beforeAll(async () => {
  inputs = await prepareAppInputs('map', { runCli: false });
  // What a static host with a single-page-app fallback sends for a path it does not have: the
  // app's own index.html, with status 200.
  mkdirSync(join(inputs.dir, 'html-fallback'));
  copyFileSync(resolve(root, 'dist/index.html'), join(inputs.dir, 'html-fallback/manifest.json'));
  const manifest = JSON.parse(
    readFileSync(resolve(root, 'fixtures/bundles/map/manifest.json'), 'utf8'),
  );
  manifest.backbone.patchSize = -14;
  delete manifest.license;
  mkdirSync(join(inputs.dir, 'bad-fields'));
  writeFileSync(join(inputs.dir, 'bad-fields/manifest.json'), JSON.stringify(manifest));
  emptyImage = join(inputs.dir, 'empty.png');
  writeFileSync(emptyImage, new Uint8Array(0));

  session = await openAppSession([...appMounts(inputs), { prefix: 'broken', root: inputs.dir }], {
    crossOriginIsolated: false,
  });
  ({ server, page, pageErrors } = session);
});

afterAll(async () => {
  await session?.close();
});

async function loadBundle(url: string) {
  await page.getByLabel('Manifest URL').fill(url);
  await page.getByRole('button', { name: 'Load bundle' }).click();
}

/** The bundle panel's alert once it names this text; its whole text. */
async function bundleAlert(text: string): Promise<string> {
  const alert = page.locator('.bundle-panel [role="alert"]').filter({ hasText: text });
  await alert.waitFor({ timeout: 60_000 });
  return (await alert.textContent()) ?? '';
}

/** Chromium's own accessible name and description of the element (as a screen reader gets them). */
async function accessibleNameAndDescription(selector: string) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root: documentNode } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeId } = await cdp.send('DOM.querySelector', {
      nodeId: documentNode.nodeId,
      selector,
    });
    const { nodes } = await cdp.send('Accessibility.getPartialAXTree', {
      nodeId,
      fetchRelatives: false,
    });
    return { name: nodes[0]?.name?.value, description: nodes[0]?.description?.value };
  } finally {
    await cdp.detach();
  }
}

describe('the app explains what went wrong', () => {
  it('says why WebAssembly runs one thread and what would give it more', async () => {
    await page.goto(`${server.urlOf('flowclas')}?manifest=../bundles/map/manifest.json`);
    const status = page.locator('.backend-status');
    await status.waitFor({ timeout: 120_000 });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    expect(await status.textContent()).toContain(
      'Models run on WebAssembly, 1 thread. Weights: backbone fp32, flow fp32, ',
    );
    expect(await status.textContent()).toContain(
      'One thread because this page is not cross-origin isolated: serve it with ' +
        'Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: ' +
        'require-corp to use several.',
    );
  });

  it('names the reason of a failed image on its thumbnail, without selecting it', async () => {
    const [image] = inputs.images;
    if (!image) throw new Error('no input image');
    await page.getByLabel('Choose images…').setInputFiles([emptyImage, image.path, image.gtPath]);
    await waitForImageStatus(page, 'empty.png', ['error']);
    await waitForImageStatus(page, image.name, ['done']);
    await page
      .getByRole('button', { name: new RegExp(`^${image.name.replace('.', '\\.')}, `) })
      .click();
    const thumb = '[data-item-id][aria-label^="empty.png, "]';
    expect(await page.locator(thumb).getAttribute('aria-current')).toBeNull();
    expect(await accessibleNameAndDescription(thumb)).toEqual({
      name: 'empty.png, error',
      description: 'empty.png is empty (0 bytes).',
    });
    expect(await page.locator(thumb).getAttribute('title')).toBe('empty.png is empty (0 bytes).');
    // The reason is not shown twice: the only visible text about it is beside the selected image.
    expect(
      await page.getByText('empty.png is empty (0 bytes).').filter({ visible: true }).count(),
    ).toBe(0);
  });

  it('says next to the bins field why a count is refused, and keeps the one in use', async () => {
    const bins = page.getByLabel('Smoothing bins');
    const refusal = 'Enter a whole number from 1 to 1000; still using 20.';
    for (const value of ['0', '1001', '']) {
      await bins.fill(value);
      await page.getByRole('alert').filter({ hasText: refusal }).waitFor();
      expect(await bins.getAttribute('aria-invalid')).toBe('true');
      expect(await accessibleNameAndDescription('input[aria-invalid="true"]')).toEqual({
        name: 'Smoothing bins',
        description: refusal,
      });
    }
    await bins.fill('7');
    await page.getByRole('alert').filter({ hasText: refusal }).waitFor({ state: 'detached' });
    expect(await bins.getAttribute('aria-invalid')).toBe('false');
    await bins.fill('0');
    await page
      .getByRole('alert')
      .filter({ hasText: 'Enter a whole number from 1 to 1000; still using 7.' })
      .waitFor();
    await bins.fill('20');
  });

  it('says a manifest URL answered by an HTML page is probably the wrong URL', async () => {
    const url = `${server.urlOf('broken')}html-fallback/manifest.json`;
    await loadBundle(url);
    expect(await bundleAlert('returned an HTML page')).toBe(
      `The bundle could not be opened: ${url} returned an HTML page, not a manifest: is the ` +
        "URL right? It should be the address of a bundle's manifest.json. Still using fixture-map.",
    );
  });

  it('puts an invalid manifest in words, with field paths', async () => {
    await loadBundle(`${server.urlOf('broken')}bad-fields/manifest.json`);
    expect(await bundleAlert('bad-fields')).toMatch(
      /^The bundle could not be opened: The model manifest \S+\/bad-fields\/manifest\.json is not valid: license is missing; backbone\.patchSize must be greater than 0 \(found -14\)\. Still using fixture-map\.$/,
    );
    await loadBundle(`${server.urlOf('broken')}invalid-bundle/manifest.json`);
    expect(await bundleAlert('invalid-bundle')).toContain(
      'is not valid: format must be "flowclas-bundle/1" (found "something-else") (and 9 other ' +
        'problems). Is this a FlowCLAS bundle manifest?',
    );
  });

  it('wraps a long URL inside the sidebar', async () => {
    const longUrl = `${server.urlOf('bundles')}${'averylongfoldername'.repeat(16)}/manifest.json`;
    await loadBundle(longUrl);
    await bundleAlert('Could not download');
    const widths = await page.evaluate(() => {
      const sidebar = document.querySelector('.sidebar') as HTMLElement;
      const alert = document.querySelector('.bundle-panel [role="alert"]') as HTMLElement;
      return {
        sidebarRight: sidebar.getBoundingClientRect().right,
        alertRight: alert.getBoundingClientRect().right,
        alertScroll: alert.scrollWidth,
        alertClient: alert.clientWidth,
      };
    });
    expect(widths.alertScroll).toBeLessThanOrEqual(widths.alertClient);
    expect(widths.alertRight).toBeLessThanOrEqual(widths.sidebarRight);
    expect(pageErrors).toEqual([]);
  });
});
