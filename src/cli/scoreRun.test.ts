/**
 * `flowclas score` at dataset scale, as a user runs it: folder trees, repeated names, reruns,
 * resumed and killed runs, shards in separate processes and their merge.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeNpy, scoreMapFromNpy } from '../core/io/npy';
import { labelMapToPng } from '../core/io/png';
import { runCli } from './cliProcess';

const root = resolve(import.meta.dirname, '../..');
const bundle = resolve(root, 'fixtures/bundles/tokens-cls');
const goldenImage = resolve(bundle, 'golden/image.png');

let workDir: string;
let dataset: string;
/** Images of the dataset, relative to it; x.webp shares x.png's ground truth (x_gt.png). */
const images = ['a/x.png', 'a/x.webp', 'b/x.png', 'b/y.jpg', 'c/deeper/z.png'];

async function writeVariant(path: string, brightness: number): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const picture = sharp(goldenImage).linear(1, brightness);
  if (path.endsWith('.webp')) await picture.webp({ lossless: true }).toFile(path);
  else if (path.endsWith('.jpg')) await picture.jpeg({ quality: 90 }).toFile(path);
  else await picture.png().toFile(path);
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'flowclas-score-run-'));
  dataset = join(workDir, 'dataset');
  const { width, height } = await sharp(goldenImage).metadata();
  for (const [index, image] of images.entries()) {
    const path = join(dataset, image);
    await writeVariant(path, index * 9 - 20);
    const labels = new Uint8Array(width * height);
    for (let y = 8 + index; y < 20 + index; y++) labels.fill(1, y * width + 10, y * width + 30);
    labels.fill(255, 0, width);
    writeFileSync(
      path.replace(/\.\w+$/, '_gt.png'),
      labelMapToPng({ width, height, data: labels }),
    );
  }
}, 60_000);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const score = (out: string, ...args: string[]) =>
  runCli(
    'score',
    '--bundle',
    bundle,
    '--out',
    join(workDir, out),
    '--no-masks',
    '--component-sizes',
    '20,10',
    ...args,
    dataset,
  );
const readJson = (path: string) => JSON.parse(readFileSync(join(workDir, path), 'utf8'));
const readJsonLines = (path: string) =>
  readFileSync(join(workDir, path), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
const listFiles = (folder: string): string[] =>
  readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((file) => statSync(join(folder, file)).isFile())
    .sort();

describe('one run over a tree', () => {
  it('walks subfolders, mirrors the tree, suffixes repeated names and records everything', async () => {
    const jsonl = join(workDir, 'single.jsonl');
    const result = await score('single', '--thresholds', '200', '--jsonl', jsonl);
    expect(result.code).toBe(0);
    expect(listFiles(join(workDir, 'single')).filter((file) => file.endsWith('.npy'))).toEqual([
      'a/x_png.score.npy',
      'a/x_webp.score.npy',
      'b/x.score.npy',
      'b/y.score.npy',
      'c/deeper/z.score.npy',
    ]);
    expect(result.stderr).toMatch(
      /"a\/x" names several images; this one's outputs are "a\/x_webp"/,
    );

    const records = readJsonLines('single/flowclas-run.jsonl');
    expect(records.map((record) => record.key)).toEqual([
      'a/x_png',
      'a/x_webp',
      'b/x',
      'b/y',
      'c/deeper/z',
    ]);
    for (const record of records) {
      const bytes = readFileSync(record.input);
      expect(record.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(record.bytes).toBe(bytes.length);
      expect(record.settings).toEqual({
        masks: false,
        bins: 20,
        amg: 'exact',
        weights: 'backbone fp32, flow fp32, segmenter encoder fp32, segmenter decoder fp32',
        pointsPerSide: 4,
      });
      for (const [file, size] of Object.entries(record.outputs)) {
        expect(statSync(join(workDir, 'single', file)).size).toBe(size);
      }
    }

    const lines = readJsonLines('single.jsonl');
    expect(lines.map((line) => line.status)).toEqual(Array(5).fill('done'));
    expect(lines[1]).toMatchObject({
      key: 'a/x_webp',
      warnings: [expect.stringMatching(/several images/)],
    });
    expect(lines[0].metrics.raw.auprc).toBeGreaterThan(0);
    expect(lines[0].timings.backbone).toBeGreaterThan(0);

    const metrics = readJson('single/metrics.json');
    expect(metrics.raw.components).toMatchObject({
      sizeLimits: { minPredictedPixels: 20, minGroundTruthPixels: 10 },
      groundTruthComponents: 5,
    });
    expect(metrics.raw.components.images).toHaveLength(5);
    expect(metrics.raw.images.map((image: { image: string }) => image.image)).toEqual([
      'a/x_png',
      'a/x_webp',
      'b/x',
      'b/y',
      'c/deeper/z',
    ]);
  });

  it('calls a folder without images an error', async () => {
    mkdirSync(join(workDir, 'empty/sub'), { recursive: true });
    writeFileSync(join(workDir, 'empty/sub/readme.txt'), 'no images here');
    const result = await runCli(
      'score',
      '--bundle',
      bundle,
      '--out',
      join(workDir, 'o'),
      join(workDir, 'empty'),
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/empty: no images in this folder or its subfolders/);
  });
});

describe('reruns never lose a result', () => {
  it('refuses other settings, resumes complete outputs unchanged, overwrites when told', async () => {
    await score('rerun', '--thresholds', '200');
    const before = readFileSync(join(workDir, 'rerun/b/x.score.npy'));
    const scoreTime = statSync(join(workDir, 'rerun/b/x.score.npy')).mtimeMs;

    const refused = await score('rerun', '--thresholds', '200', '--bins', '7');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/already holds outputs this run would replace/);
    expect(refused.stderr).toMatch(/b\/x\.png: its outputs came from other settings/);
    expect(statSync(join(workDir, 'rerun/b/x.score.npy')).mtimeMs).toBe(scoreTime);

    const resumed = await score('rerun', '--thresholds', '200', '--resume');
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/--resume: 5 image\(s\) already have complete outputs/);
    expect(statSync(join(workDir, 'rerun/b/x.score.npy')).mtimeMs).toBe(scoreTime);
    expect(readJson('rerun/metrics.json')).toEqual(readJson('single/metrics.json'));

    const overwritten = await score('rerun', '--thresholds', '200', '--bins', '7', '--overwrite');
    expect(overwritten.code).toBe(0);
    expect(readFileSync(join(workDir, 'rerun/b/x.score.npy'))).toEqual(before);
    const latest = readJsonLines('rerun/flowclas-run.jsonl').at(-1);
    expect(latest.settings.bins).toBe(7);
  });

  it('a killed run leaves only whole outputs, and --resume finishes it', async () => {
    const out = join(workDir, 'killed');
    // In this very process (tsx's own CLI would leave a child running after the kill).
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        resolve(root, 'src/cli/main.ts'),
        'score',
        '--bundle',
        bundle,
        '--out',
        out,
        dataset,
      ],
      { cwd: root, stdio: 'ignore' },
    );
    const records = join(out, 'flowclas-run.jsonl');
    while (!existsSync(records) || readFileSync(records, 'utf8').split('\n').length < 2) {
      await new Promise((done) => setTimeout(done, 20));
    }
    child.kill('SIGKILL');
    await new Promise((done) => child.once('exit', done));
    const finished = readJsonLines('killed/flowclas-run.jsonl').length;
    expect(finished).toBeLessThan(images.length);
    for (const file of listFiles(out).filter((name) => name.endsWith('.npy'))) {
      const path = join(out, file);
      expect(() =>
        scoreMapFromNpy(decodeNpy(new Uint8Array(readFileSync(path)), path), path),
      ).not.toThrow();
    }
    const resumed = await runCli('score', '--bundle', bundle, '--out', out, '--resume', dataset);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(new RegExp(`--resume: ${finished} image\\(s\\) already`));
    expect(listFiles(out).filter((file) => file.endsWith('.masks.json'))).toHaveLength(
      images.length,
    );
  }, 120_000);
});

describe('shards', () => {
  it.each(['200', 'exact'])(
    'two shard processes merge to the single run (thresholds %s)',
    async (thresholds) => {
      const single = thresholds === 'exact' ? 'single-exact' : 'single';
      if (thresholds === 'exact') await score(single, '--thresholds', 'exact');
      const shards = await Promise.all(
        ['1/2', '2/2'].map((shard, index) =>
          score(`shard-${thresholds}-${index + 1}`, '--thresholds', thresholds, '--shard', shard),
        ),
      );
      expect(shards.map((run) => run.code)).toEqual([0, 0]);
      expect(shards[0]?.stderr).toMatch(/shard 1\/2: 3 of 5 image\(s\)/);
      const merged = await runCli(
        'metrics',
        'merge',
        join(workDir, `shard-${thresholds}-1`),
        join(workDir, `shard-${thresholds}-2`),
        '--out',
        join(workDir, `merged-${thresholds}.json`),
      );
      expect(merged.code).toBe(0);
      expect(readJson(`merged-${thresholds}.json`)).toEqual(readJson(`${single}/metrics.json`));
      const twice = await runCli(
        'metrics',
        'merge',
        join(workDir, `shard-${thresholds}-1`),
        join(workDir, `shard-${thresholds}-1`),
      );
      expect(twice.code).not.toBe(0);
      expect(twice.stderr).toMatch(/in the metrics of .* and of .*; merge the folders of disjoint/);
    },
    120_000,
  );
});
