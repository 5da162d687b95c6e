/** Page-side helpers for the app's browser tests: canvas pixels, long tasks. */
import type { Page } from 'playwright-core';

/** RGBA pixels of the canvas inside the element with role img and this accessible name. */
export async function canvasPixels(page: Page, name: string): Promise<Uint8ClampedArray> {
  const canvas = page.getByRole('img', { name, exact: true }).locator('canvas');
  await page
    .getByRole('img', { name, exact: true })
    .and(page.locator('[data-ready="true"]'))
    .waitFor();
  const values = await canvas.evaluate((element: HTMLCanvasElement) => {
    const context = element.getContext('2d');
    if (!context) throw new Error('no 2d context');
    return Array.from(context.getImageData(0, 0, element.width, element.height).data);
  });
  return Uint8ClampedArray.from(values);
}

/** Records every long task (> 50 ms on the main thread) from page start; read with longTasks(). */
export async function observeLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const durations: number[] = [];
    (window as unknown as { __longTasks: number[] }).__longTasks = durations;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) durations.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
}

export async function longTasks(page: Page): Promise<number[]> {
  return page.evaluate(() => [...(window as unknown as { __longTasks: number[] }).__longTasks]);
}

export async function clearLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { __longTasks: number[] }).__longTasks.length = 0;
  });
}

export interface DroppedFile {
  name: string;
  bytes: Uint8Array;
  type: string;
}

/** A drop of files onto an element, as a file manager would deliver it (no folder entries). */
export async function dropFiles(page: Page, selector: string, files: DroppedFile[]): Promise<void> {
  const transfer = await page.evaluateHandle(
    (entries) => {
      const dataTransfer = new DataTransfer();
      for (const { name, bytes, type } of entries)
        dataTransfer.items.add(new File([new Uint8Array(bytes)], name, { type }));
      return dataTransfer;
    },
    files.map(({ name, bytes, type }) => ({ name, bytes: Array.from(bytes), type })),
  );
  await page.locator(selector).first().dispatchEvent('drop', { dataTransfer: transfer });
  await transfer.dispose();
}

/** How often the canvas under this image has been drawn (the app counts it; no pixel read-back). */
export async function canvasDraws(page: Page, name: string): Promise<number> {
  const draws = await page
    .getByRole('img', { name, exact: true })
    .locator('canvas')
    .getAttribute('data-draws');
  return Number(draws ?? 0);
}
