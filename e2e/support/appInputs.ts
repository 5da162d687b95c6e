/**
 * Files for the app's browser tests: two fixture images with synthetic ground truth, the CLI's
 * outputs for them, and one file for each kind of bad input.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { decode, encode } from 'fast-png';
import { decodeNpy, scoreMapFromNpy } from '../../src/core/io/npy';
import { sha256Hex } from '../../src/core/bundle/sha256';
import type { ScoreMap } from '../../src/core/types';

const root = resolve(import.meta.dirname, '../..');

export interface AppInputs {
  dir: string;
  /** Good images with their `_gt.png`, both 73×45. */
  images: { name: string; path: string; gtPath: string }[];
  textFile: string;
  brokenImage: string;
  /** An image whose ground truth has the wrong size. */
  mismatched: { path: string; gtPath: string };
  /** Bundles that fail: invalid manifest, and a corrupt model file with a matching hash. */
  invalidBundleDir: string;
  corruptModelBundleDir: string;
  cliOut: string;
  /** A samples folder with an empty index, to serve over the build's bundled samples. */
  noSamplesDir: string;
}

/** 0 inlier, 1 anomaly in a block, 255 ignore in a thin border: every label kind occurs. */
function groundTruthPng(width: number, height: number): Uint8Array {
  const labels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const border = x === 0 || y === 0;
      const block = x >= 20 && x < 45 && y >= 10 && y < 30;
      labels[y * width + x] = border ? 255 : block ? 1 : 0;
    }
  }
  return encode({ width, height, data: labels, channels: 1, depth: 8 });
}

export async function prepareAppInputs(
  bundleVariant: string,
  options: { runCli: boolean } = { runCli: true },
): Promise<AppInputs> {
  const dir = mkdtempSync(join(tmpdir(), 'flowclas-app-'));
  const images = ['map', 'tokens-cls'].map((variant, index) => {
    const name = `sample${index + 1}.png`;
    const path = join(dir, name);
    copyFileSync(resolve(root, 'fixtures/bundles', variant, 'golden/image.png'), path);
    const gtPath = join(dir, `sample${index + 1}_gt.png`);
    writeFileSync(gtPath, groundTruthPng(73, 45));
    return { name, path, gtPath };
  });

  const bad = join(dir, 'bad');
  mkdirSync(bad);
  const textFile = join(bad, 'notes.txt');
  writeFileSync(textFile, 'not an image\n');
  const brokenImage = join(bad, 'broken.png');
  writeFileSync(brokenImage, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4, 5, 6]));
  const mismatched = { path: join(bad, 'odd.png'), gtPath: join(bad, 'odd_gt.png') };
  copyFileSync(images[0]?.path ?? '', mismatched.path);
  writeFileSync(mismatched.gtPath, groundTruthPng(10, 10));

  const invalidBundleDir = join(dir, 'invalid-bundle');
  mkdirSync(invalidBundleDir);
  writeFileSync(
    join(invalidBundleDir, 'manifest.json'),
    JSON.stringify({ format: 'something-else' }),
  );

  const corruptModelBundleDir = join(dir, 'corrupt-bundle');
  cpSync(resolve(root, 'fixtures/bundles', bundleVariant), corruptModelBundleDir, {
    recursive: true,
  });
  const garbage = new TextEncoder().encode('this is not an ONNX model');
  writeFileSync(join(corruptModelBundleDir, 'flow.onnx'), garbage);
  const manifestPath = join(corruptModelBundleDir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  manifest.name = 'corrupt-flow';
  manifest.files['flow.onnx'] = { bytes: garbage.length, sha256: await sha256Hex(garbage) };
  writeFileSync(manifestPath, JSON.stringify(manifest));

  const noSamplesDir = join(dir, 'no-samples');
  mkdirSync(noSamplesDir);
  writeFileSync(join(noSamplesDir, 'index.json'), JSON.stringify({ samples: [] }));

  const cliOut = join(dir, 'cli');
  if (options.runCli) {
    runCliScore(
      resolve(root, 'fixtures/bundles', bundleVariant),
      cliOut,
      images.map((image) => image.path),
    );
  }
  return {
    dir,
    images,
    textFile,
    brokenImage,
    mismatched,
    invalidBundleDir,
    corruptModelBundleDir,
    cliOut,
    noSamplesDir,
  };
}

/** A photo of about one megapixel (the first fixture image scaled up 18×, nearest neighbour). */
/**
 * The static-server mounts every app test starts from: the built app under /flowclas/ with an
 * empty sample list (the build's samples would join the gallery; these tests bring their own
 * images) and the bundles under /bundles/ (the fixture bundles unless told otherwise).
 */
export function appMounts(
  inputs: AppInputs,
  bundlesRoot = resolve(root, 'fixtures/bundles'),
): { prefix: string; root: string }[] {
  return [
    { prefix: 'flowclas/samples', root: inputs.noSamplesDir },
    { prefix: 'flowclas', root: resolve(root, 'dist') },
    { prefix: 'bundles', root: bundlesRoot },
  ];
}

export function megapixelPng(
  sourcePath: string,
  outPath: string,
): { width: number; height: number } {
  const source = decode(new Uint8Array(readFileSync(sourcePath)));
  const scale = 18;
  const width = source.width * scale;
  const height = source.height * scale;
  const channels = source.channels;
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = (Math.floor(y / scale) * source.width + Math.floor(x / scale)) * channels;
      for (let c = 0; c < channels; c++)
        data[(y * width + x) * channels + c] = source.data[from + c] as number;
    }
  }
  writeFileSync(outPath, encode({ width, height, data, channels, depth: 8 }));
  return { width, height };
}

/** The image turned on its side (transposed), so a landscape photo becomes a portrait one. */
export function portraitPng(sourcePath: string, outPath: string): void {
  const source = decode(new Uint8Array(readFileSync(sourcePath)));
  const { width, height, channels } = source;
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = (y * width + x) * channels;
      const to = (x * height + y) * channels;
      data.set(source.data.subarray(from, from + channels), to);
    }
  }
  writeFileSync(outPath, encode({ width: height, height: width, data, channels, depth: 8 }));
}

export function readScoreMap(path: string): ScoreMap {
  return scoreMapFromNpy(decodeNpy(new Uint8Array(readFileSync(path)), path), path);
}

/** The CLI's `score` on images: the reference the app's numbers are checked against. */
export function runCliScore(bundleDir: string, outDir: string, imagePaths: string[]): void {
  const cli = spawnSync(
    'npx',
    ['tsx', 'src/cli/main.ts', 'score', '--bundle', bundleDir, '--out', outDir, ...imagePaths],
    { cwd: root, encoding: 'utf8' },
  );
  if (cli.status !== 0) throw new Error(`flowclas score failed: ${cli.stderr}`);
}
