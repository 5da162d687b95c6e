/** Page-side helpers for the app's browser tests: canvas pixels, long tasks. */
import type { Page } from 'playwright-core';

/**
 * RGBA pixels of the picture (a PNG image element at its own size) inside the element with role
 * img and this accessible name, once it shows its current picture.
 */
export async function canvasPixels(page: Page, name: string): Promise<Uint8ClampedArray> {
  const picture = page.getByRole('img', { name, exact: true }).locator('img');
  await page
    .getByRole('img', { name, exact: true })
    .and(page.locator('[data-ready="true"]'))
    .waitFor();
  const values = await picture.evaluate(async (element: HTMLImageElement) => {
    // Decoded again without colour management, as the PNG's own bytes.
    const bitmap = await createImageBitmap(await (await fetch(element.src)).blob(), {
      colorSpaceConversion: 'none',
      premultiplyAlpha: 'none',
    });
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d context');
    context.drawImage(bitmap, 0, 0);
    return Array.from(context.getImageData(0, 0, bitmap.width, bitmap.height).data);
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
    // What ran in frames that took long, to tell which code a long task came from.
    const frames: string[] = [];
    (window as unknown as { __longFrames: string[] }).__longFrames = frames;
    new PerformanceObserver((list) => {
      // PerformanceLongAnimationFrameTiming: not in TypeScript's DOM types yet.
      const entries = list.getEntries() as unknown as {
        duration: number;
        scripts: { invoker: string; sourceFunctionName: string; duration: number }[];
      }[];
      for (const frame of entries) {
        if (frame.duration <= 50) continue;
        const scripts = frame.scripts
          .map(
            (script) =>
              `${script.invoker}/${script.sourceFunctionName} ${Math.round(script.duration)}`,
          )
          .join('; ');
        frames.push(`${Math.round(frame.duration)} ms: ${scripts}`);
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  });
}

/**
 * Waits until the gallery shows this image with one of these statuses. It polls a plain
 * attribute query: role and visibility locators compute accessible names and force a layout in
 * the page, work that would show up as the page's own long tasks while they are measured.
 */
export async function waitForImageStatus(
  page: Page,
  name: string,
  statuses: string[],
  timeout = 240_000,
): Promise<void> {
  await page.waitForFunction(
    ([prefix, wanted]) =>
      [...document.querySelectorAll<HTMLElement>('[data-item-id]')].some(
        (thumb) =>
          thumb.getAttribute('aria-label')?.startsWith(prefix) &&
          wanted.includes(thumb.dataset.status ?? ''),
      ),
    [`${name}, `, statuses] as const,
    { polling: 100, timeout },
  );
}

export async function longTasks(page: Page): Promise<number[]> {
  return page.evaluate(() => [...(window as unknown as { __longTasks: number[] }).__longTasks]);
}

export async function clearLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { __longTasks: number[] }).__longTasks.length = 0;
    (window as unknown as { __longFrames: string[] }).__longFrames.length = 0;
  });
}

/** Long animation frames (> 50 ms) since the last clear, with the scripts that ran in them. */
export async function longFrames(page: Page): Promise<string[]> {
  return page.evaluate(() => [...(window as unknown as { __longFrames: string[] }).__longFrames]);
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

/** How many pictures this view has shown (the app counts them; no pixel read-back). */
export async function canvasDraws(page: Page, name: string): Promise<number> {
  const draws = await page.getByRole('img', { name, exact: true }).getAttribute('data-draws');
  return Number(draws ?? 0);
}

/** axe-core's WCAG A/AA violations on the page, as "rule: target" lines. */
export async function accessibilityViolations(page: Page, axeSource: string): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(options: object): Promise<AxeResults> } }).axe;
    const results = await axe.run({ runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
    return results.violations.flatMap((violation) =>
      violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')}`),
    );
  });
}

interface AxeResults {
  violations: { id: string; nodes: { target: string[] }[] }[];
}
