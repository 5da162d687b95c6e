/** The e2e harness page (e2e/harness, built into e2e-results/harness-dist) in a browser tab. */
import type { Page } from 'playwright-core';
import type { LaunchedBrowser } from './chromium';

/** A new tab on the harness, once its worker client is ready. */
export async function openHarness(browser: LaunchedBrowser, harnessUrl: string): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(harnessUrl);
  await page.waitForSelector('body[data-ready="true"]');
  return page;
}
