/**
 * Decoding parity: the app's decoder in Chromium (createImageBitmap) and the CLI's (sharp) read the
 * same files to within ±1 level per channel, and refuse the same truncated file with the same
 * message. PIL's decode is the third, independent opinion; the per-channel numbers are printed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/cliProcess';
import { decodeNpy, scoreMapFromNpy } from '../src/core/io/npy';
import { maxAbsDifference } from '../src/core/numeric';
import { runPythonReference } from '../src/core/testing/pythonReference';
import { decodeImageFile } from '../src/node/decodeImage';
import { launchChromium, type LaunchedBrowser } from './support/chromium';
import { startStaticServer, type StaticServer } from './support/staticServer';

const root = resolve(import.meta.dirname, '..');

const cases = [
  // A photo with EXIF rotation and a panorama, the sizes where jpeg-js was off by up to 35 levels.
  {
    name: 'photo-rotated',
    format: 'jpeg',
    subsampling: 2,
    orientation: 6,
    width: 600,
    height: 400,
  },
  { name: 'panorama-420', format: 'jpeg', subsampling: 2, width: 4096, height: 512, seed: 1 },
  { name: 'photo-422', format: 'jpeg', subsampling: 1, width: 601, height: 401, seed: 2 },
  {
    name: 'progressive-420',
    format: 'jpeg',
    subsampling: 2,
    progressive: true,
    width: 333,
    height: 222,
  },
  { name: 'mirrored-444', format: 'jpeg', subsampling: 0, orientation: 7, width: 300, height: 200 },
  { name: 'grey-16-bit', format: 'png16', width: 300, height: 200 },
  { name: 'webp-lossless', format: 'webp', width: 300, height: 200 },
];

type DecodeResult = { width: number; height: number; rgbBase64: string } | { error: string };
type Harness = Window & {
  flowclasHarness: {
    decode(fileBase64: string, name: string): Promise<DecodeResult>;
    open(manifestUrl: string, allowWebGpu: boolean): Promise<unknown>;
    analyze(
      imageUrl: string,
      options: { decoder: 'app' },
    ): Promise<{ width: number; score: number[] }>;
  };
};

let server: StaticServer;
let browser: LaunchedBrowser;
let page: Page;
let files: Record<string, { file: Uint8Array; pil: Uint8Array; shape: number[] }>;
let workDir: string;

beforeAll(async () => {
  const outputs = runPythonReference(
    resolve(root, 'src/node/decodeImage.reference.py'),
    {},
    {
      cases,
    },
  );
  files = Object.fromEntries(
    cases.map(({ name }) => [
      name,
      {
        file: outputs[`${name}_file`]?.data as Uint8Array,
        pil: outputs[`${name}_decoded`]?.data as Uint8Array,
        shape: outputs[`${name}_decoded`]?.shape as number[],
      },
    ]),
  );
  workDir = mkdtempSync(join(tmpdir(), 'flowclas-decode-parity-'));
  server = await startStaticServer({
    mounts: [
      { prefix: 'harness', root: resolve(root, 'e2e-results/harness-dist') },
      { prefix: 'fixtures', root: resolve(root, 'fixtures') },
      { prefix: 'images', root: workDir },
    ],
    crossOriginIsolated: true,
  });
  browser = await launchChromium('no-webgpu');
  page = await browser.context.newPage();
  await page.goto(server.urlOf('harness'));
  await page.waitForSelector('body[data-ready="true"]');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(workDir, { recursive: true, force: true });
});

function decodeInChromium(file: Uint8Array, name: string): Promise<DecodeResult> {
  const fileBase64 = Buffer.from(file).toString('base64');
  return page.evaluate(
    ([bytes, fileName]) => (window as unknown as Harness).flowclasHarness.decode(bytes, fileName),
    [fileBase64, name] as const,
  );
}

/** Largest and mean absolute difference per channel (R, G, B) of two interleaved RGB8 buffers. */
function channelDifferences(a: ArrayLike<number>, b: ArrayLike<number>) {
  const max = [0, 0, 0];
  const sum = [0, 0, 0];
  for (let i = 0; i < a.length; i++) {
    const difference = Math.abs((a[i] as number) - (b[i] as number));
    const channel = i % 3;
    max[channel] = Math.max(max[channel] as number, difference);
    sum[channel] = (sum[channel] as number) + difference;
  }
  const pixels = a.length / 3;
  return { max, mean: sum.map((total) => Number((total / pixels).toFixed(4))) };
}

describe('the app (Chromium) and the CLI (sharp) decode the same pixels', () => {
  it.each(cases.map(({ name }) => name))('%s', async (name) => {
    const { file, pil, shape } = files[name] as (typeof files)[string];
    const inBrowser = await decodeInChromium(file, name);
    if ('error' in inBrowser) throw new Error(inBrowser.error);
    const inNode = await decodeImageFile(file, name);
    expect([inBrowser.height, inBrowser.width, 3]).toEqual(shape);
    expect([inNode.height, inNode.width, 3]).toEqual(shape);
    const browserPixels = new Uint8Array(Buffer.from(inBrowser.rgbBase64, 'base64'));
    const browserVsCli = channelDifferences(browserPixels, inNode.data);
    const browserVsPil = channelDifferences(browserPixels, pil);
    const cliVsPil = channelDifferences(inNode.data, pil);
    console.log(
      `decode parity ${name} (${shape[1]}×${shape[0]}) max/mean per channel R,G,B: ` +
        `browser-CLI ${JSON.stringify(browserVsCli)}, browser-PIL ${JSON.stringify(browserVsPil)}, ` +
        `CLI-PIL ${JSON.stringify(cliVsPil)}`,
    );
    expect(Math.max(...browserVsCli.max)).toBeLessThanOrEqual(1);
  });

  it('refuses a truncated JPEG in both, with the same message', async () => {
    const { file } = files['photo-rotated'] as (typeof files)[string];
    const truncated = file.subarray(0, Math.floor(file.length * 0.7));
    const inBrowser = await decodeInChromium(truncated, 'cut.jpg');
    const inNode = await decodeImageFile(truncated, 'cut.jpg').then(
      () => 'decoded',
      (error: Error) => error.message,
    );
    expect(inNode).toMatch(/^cut\.jpg could not be read as an image \(the JPEG file is truncated/);
    expect(inBrowser).toEqual({ error: inNode });
  });
});

describe('a JPEG scored in the app and in the CLI', () => {
  it('gives the same score map (rotated photo, 4:2:0)', async () => {
    const { file } = files['photo-rotated'] as (typeof files)[string];
    writeFileSync(join(workDir, 'photo.jpg'), file);
    const bundle = 'fixtures/bundles/tokens-cls';
    await page.evaluate(
      (url) => (window as unknown as Harness).flowclasHarness.open(url, false),
      `../${bundle}/manifest.json`,
    );
    const inApp = await page.evaluate(
      (url) => (window as unknown as Harness).flowclasHarness.analyze(url, { decoder: 'app' }),
      '../images/photo.jpg',
    );
    const out = join(workDir, 'scored');
    const photo = join(workDir, 'photo.jpg');
    const cli = await runCli('score', '--bundle', bundle, '--out', out, '--no-masks', photo);
    expect(cli.code).toBe(0);
    const npyPath = join(out, 'photo.score.npy');
    const bytes = new Uint8Array(readFileSync(npyPath));
    const inCli = scoreMapFromNpy(decodeNpy(bytes, npyPath), npyPath);
    expect([inApp.width, inCli.width]).toEqual([400, 400]);
    // onnxruntime-web (WASM) and onnxruntime-node differ in float rounding only.
    expect(maxAbsDifference(inApp.score, inCli.data)).toBeLessThanOrEqual(1e-4);
  });
});
