/** The CLI as a user runs it: real files in, files and one-line errors out. */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { dump } from 'npyjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeNpy, labelMapFromNpy, scoreMapFromNpy } from '../core/io/npy';
import { labelMapToPng } from '../core/io/png';
import { decodeRleMaskList } from '../core/io/rleMaskList';
import { smoothScoreMap } from '../core/smoothing';
import { createMetricsAccumulator } from '../core/metrics';
import { maxAbsDifference } from '../core/numeric';
import { readGoldens } from '../core/testing/goldens';
import type { LabelMap, ScoreMap } from '../core/types';

const root = resolve(import.meta.dirname, '../..');
const golden = resolve(root, 'fixtures/bundles/tokens-cls/golden');
const run = promisify(execFile);

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(...args: string[]): Promise<CliRun> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [resolve(root, 'node_modules/tsx/dist/cli.mjs'), resolve(root, 'src/cli/main.ts'), ...args],
      { cwd: root },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const readScores = (path: string): ScoreMap =>
  scoreMapFromNpy(decodeNpy(new Uint8Array(readFileSync(path)), path), path);

let workDir: string;
let labels: LabelMap;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'flowclas-cli-'));
  const score = readScores(join(golden, 'score.npy'));
  // Ground truth: a block of anomaly, an ignored first row, inliers elsewhere.
  labels = {
    width: score.width,
    height: score.height,
    data: new Uint8Array(score.width * score.height),
  };
  for (let y = 10; y < 20; y++) labels.data.fill(1, y * score.width + 10, y * score.width + 30);
  labels.data.fill(255, 0, score.width);
  writeFileSync(join(workDir, 'gt.png'), labelMapToPng(labels));
});

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('flowclas smooth', () => {
  it('reproduces the factory refined map from its score map and RLE masks', async () => {
    const out = join(workDir, 'refined.npy');
    const result = await cli(
      'smooth',
      '--scores',
      join(golden, 'score.npy'),
      '--masks',
      join(golden, 'masks.json'),
      '--bins',
      '20',
      '--out',
      out,
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const refined = readScores(out);
    expect(maxAbsDifference(refined.data, readScores(join(golden, 'refined.npy')).data)).toBe(0);
  });

  it('takes the masks as a [K, H, W] uint8 stack as well', async () => {
    const masks = readGoldens(golden).masks();
    const { width, height } = masks[0]?.mask ?? { width: 0, height: 0 };
    const stack = new Uint8Array(masks.length * width * height);
    masks.forEach(({ mask }, k) =>
      mask.pixels.forEach((pixel) => (stack[k * width * height + pixel] = 1)),
    );
    writeFileSync(
      join(workDir, 'masks.npy'),
      new Uint8Array(dump(stack, [masks.length, height, width])),
    );
    const out = join(workDir, 'refined-from-stack.npy');
    const result = await cli(
      'smooth',
      '--scores',
      join(golden, 'score.npy'),
      '--masks',
      join(workDir, 'masks.npy'),
      '--out',
      out,
    );
    expect(result.code).toBe(0);
    expect(
      maxAbsDifference(readScores(out).data, readScores(join(golden, 'refined.npy')).data),
    ).toBe(0);
  });
});

describe('flowclas metrics', () => {
  it('prints pooled fractions and per-image values as JSON, matching the core', async () => {
    const scores = join(golden, 'score.npy');
    const refined = join(golden, 'refined.npy');
    const gt = join(workDir, 'gt.png');
    const result = await cli('metrics', '--scores', scores, refined, '--gt', gt, gt, '--json');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    const accumulator = createMetricsAccumulator({ mode: 'exact' });
    accumulator.add(readScores(scores), labels);
    accumulator.add(readScores(refined), labels);
    const expected = accumulator.result().pooled;
    expect(json).toMatchObject({
      auprc: expected.auprc,
      fpr95: expected.fpr95,
      auroc: expected.auroc,
      thresholds: 'exact',
    });
    for (const key of ['auprc', 'fpr95', 'auroc']) {
      expect(json[key]).toBeGreaterThanOrEqual(0);
      expect(json[key]).toBeLessThanOrEqual(1);
    }
    expect(json.images.map((image: { image: string }) => image.image)).toEqual([
      'score.npy',
      'refined.npy',
    ]);
  });

  it('accepts ground truth as .npy and a number of sigmoid bins', async () => {
    const gtNpy = join(workDir, 'gt.npy');
    writeFileSync(gtNpy, new Uint8Array(dump(labels.data, [labels.height, labels.width])));
    expect(labelMapFromNpy(decodeNpy(new Uint8Array(readFileSync(gtNpy)), gtNpy), gtNpy)).toEqual(
      labels,
    );
    const result = await cli(
      'metrics',
      '--scores',
      join(golden, 'score.npy'),
      '--gt',
      gtNpy,
      '--thresholds',
      '500',
      '--json',
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).thresholds).toBe(500);
  });
});

describe('CLI errors are one line naming the file, with a non-zero exit', () => {
  const expectOneLine = (result: CliRun, pattern: RegExp) => {
    expect(result.code).not.toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toMatch(pattern);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  };

  it('unknown automatic-mask path', async () => {
    const result = await cli('score', '--bundle', 'b', '--out', 'o', '--amg', 'quick', 'x.png');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /'--amg <path>' argument 'quick' is invalid\. expected "exact" or "fast"/,
    );
  });

  it('missing file', async () => {
    expectOneLine(
      await cli('metrics', '--scores', 'nope.npy', '--gt', join(workDir, 'gt.png')),
      /nope\.npy: score map file not found/,
    );
  });

  it('wrong dtype', async () => {
    const ints = join(workDir, 'ints.npy');
    writeFileSync(ints, new Uint8Array(dump(new Int32Array(4), [2, 2])));
    expectOneLine(
      await cli('metrics', '--scores', ints, '--gt', join(workDir, 'gt.png')),
      /ints\.npy: scores must be a float array/,
    );
  });

  it('size mismatch between scores and ground truth', async () => {
    const small = join(workDir, 'small.npy');
    writeFileSync(small, new Uint8Array(dump(new Float32Array(6), [2, 3])));
    expectOneLine(
      await cli('metrics', '--scores', small, '--gt', join(workDir, 'gt.png')),
      /gt\.png: ground truth is 73×45 but the score map .*small\.npy is 3×2/,
    );
  });

  it('NaN scores', async () => {
    const score = readScores(join(golden, 'score.npy'));
    score.data[5] = Number.NaN;
    const nan = join(workDir, 'nan.npy');
    writeFileSync(nan, new Uint8Array(dump(score.data, [score.height, score.width])));
    expectOneLine(
      await cli(
        'smooth',
        '--scores',
        nan,
        '--masks',
        join(golden, 'masks.json'),
        '--out',
        join(workDir, 'x.npy'),
      ),
      /NaN|not finite|non-finite/i,
    );
  });

  it('bad flag value', async () => {
    expectOneLine(
      await cli(
        'smooth',
        '--scores',
        'a.npy',
        '--masks',
        'm.json',
        '--bins',
        'many',
        '--out',
        'o.npy',
      ),
      /error: option '--bins <n>' argument 'many' is invalid/,
    );
  });
});

/** The first image record of a score run's manifest. */
const firstRunRecord = (out: string) =>
  JSON.parse(readFileSync(join(out, 'flowclas-run.jsonl'), 'utf8').split('\n')[0] ?? '') as {
    settings: { weights: string; pointsPerSide: number };
  };

describe('flowclas score', () => {
  /** An empty folder under workDir holding the golden image as road.png. */
  const freshImageFolder = (name: string): string => {
    const images = join(workDir, name);
    rmSync(images, { recursive: true, force: true });
    mkdirSync(images);
    copyFileSync(join(golden, 'image.png'), join(images, 'road.png'));
    return images;
  };

  it('writes maps, masks, heatmaps and metrics, reports a bad image and keeps going', async () => {
    const images = freshImageFolder('images');
    const out = join(workDir, 'scored');
    copyFileSync(join(workDir, 'gt.png'), join(images, 'road_gt.png'));
    writeFileSync(join(images, 'notes.png'), 'this is text, not a PNG');
    const result = await cli(
      'score',
      '--bundle',
      resolve(root, 'fixtures/bundles/tokens-cls'),
      '--out',
      out,
      images,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/notes\.png could not be read as an image/);
    expect(result.stderr).toMatch(/1 of 2 image\(s\) failed/);
    expect(
      maxAbsDifference(
        readScores(join(out, 'road.score.npy')).data,
        readScores(join(golden, 'score.npy')).data,
      ),
    ).toBeLessThanOrEqual(1e-4);
    // The refined map is Algorithm 1 on the written scores and masks, in processing order.
    const masksText = readFileSync(join(out, 'road.masks.json'), 'utf8');
    const ownMasks = decodeRleMaskList(masksText, 'masks');
    const expectedRefined = smoothScoreMap(readScores(join(out, 'road.score.npy')), ownMasks, 20);
    expect(readScores(join(out, 'road.refined.npy')).data).toEqual(expectedRefined.data);
    const masks = JSON.parse(masksText) as { stability_score: number }[];
    const goldenMasks = readGoldens(golden).masks();
    expect(masks.length).toBe(goldenMasks.length);
    expect(readFileSync(join(out, 'road.score.png')).subarray(1, 4).toString()).toBe('PNG');
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.raw.images.map((image: { image: string }) => image.image)).toEqual(['road']);
    expect(metrics.refined.auprc).toBeGreaterThan(0);
    // The default automatic-mask path is SAM 2's own, so stability matches the goldens.
    expect(masks.map((mask) => mask.stability_score)).toEqual(
      goldenMasks.map((mask) => mask.stabilityScore),
    );
  });

  it('--amg fast keeps the same mask and scores its stability on the low-res logits', async () => {
    const images = freshImageFolder('fast-images');
    const out = join(workDir, 'fast-scored');
    const bundle = resolve(root, 'fixtures/bundles/tokens-cls');
    const result = await cli('score', '--bundle', bundle, '--out', out, '--amg', 'fast', images);
    expect(result.code).toBe(0);
    const text = readFileSync(join(out, 'road.masks.json'), 'utf8');
    const expected = readGoldens(golden).masks();
    expect(decodeRleMaskList(text, 'masks')).toEqual(expected.map((mask) => mask.mask));
    const records = JSON.parse(text) as { stability_score: number; bbox: number[] }[];
    // The reference writes SAM's inclusive [x0, y0, x1, y1]; the records carry COCO's
    // [x, y, width, height], so width and height count the pixels from x0 to x1, y0 to y1.
    expect(records.map((record) => record.bbox)).toEqual(
      expected.map(({ bbox: [x0 = 0, y0 = 0, x1 = 0, y1 = 0] }) => [
        x0,
        y0,
        x1 - x0 + 1,
        y1 - y0 + 1,
      ]),
    );
    for (const record of records) expect(record.stability_score).toBeGreaterThan(0);
    // The fast path scored stability on other logits: some score (not necessarily each) differs.
    const changed = records.filter(
      (record, i) => Math.abs(record.stability_score - (expected[i]?.stabilityScore ?? NaN)) > 1e-3,
    );
    expect(changed.length).toBeGreaterThan(0);
  });

  it('--precision runs the weight variant the bundle ships and records it with the grid', async () => {
    const images = freshImageFolder('int8-images');
    const out = join(workDir, 'int8-scored');
    const bundle = resolve(root, 'fixtures/external-data');
    const result = await cli(
      'score',
      '--bundle',
      bundle,
      '--out',
      out,
      '--precision',
      'int8',
      images,
    );
    expect(result.code).toBe(0);
    const error = maxAbsDifference(
      readScores(join(out, 'road.score.npy')).data,
      readScores(join(golden, 'score.npy')).data,
    );
    expect(error).toBeGreaterThan(0);
    expect(error).toBeLessThan(0.02);
    const record = firstRunRecord(out);
    expect(record.settings).toMatchObject({
      weights: 'backbone fp32, flow int8',
      pointsPerSide: 0,
    });

    const refused = await cli('score', '--bundle', bundle, '--out', out, images);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/road\.png: its outputs came from other settings/);
  });

  it('--points-per-side sets the prompt grid', async () => {
    const images = freshImageFolder('grid-images');
    const out = join(workDir, 'grid-scored');
    const bundle = resolve(root, 'fixtures/bundles/tokens-cls');
    const result = await cli(
      'score',
      '--bundle',
      bundle,
      '--out',
      out,
      '--points-per-side',
      '2',
      images,
    );
    expect(result.code).toBe(0);
    const record = firstRunRecord(out);
    expect(record.settings.pointsPerSide).toBe(2);
    // Four prompts of three outputs each can give at most twelve masks.
    const masks = JSON.parse(readFileSync(join(out, 'road.masks.json'), 'utf8')) as unknown[];
    expect(masks.length).toBeLessThanOrEqual(12);
    const bad = await cli(
      'score',
      '--bundle',
      bundle,
      '--out',
      out,
      '--points-per-side',
      '0',
      images,
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/expected a whole number from 1 to 64/);
  });
});
