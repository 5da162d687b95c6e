/**
 * Benchmark: a bundle at the real models' size (`npm run factory -- realsize --out DIR`: DINOv2-L
 * + Reins, the L = 16, C = 1024 flow, a SAM 2.1-tiny-sized segmenter) in each weight variant, at
 * maxSide 448 and 644: load time (cold, then from the cache), peak memory, per-stage time per
 * image in onnxruntime-node and in Chromium's WASM (2 threads), the main thread's longest task
 * while loading, and each variant's score-map distance from fp32. One run for every table.
 *
 * Run: FLOWCLAS_REALSIZE_BUNDLE=DIR npm run bench   (or npx tsx bench/realSize.ts --bundle DIR)
 * Skipped without a bundle: generating one takes minutes and 3 GB of disk.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { availablePrecisions, MODEL_ROLES } from '../src/core/bundle/manifestSchema';
import { chooseWeights } from '../src/core/bundle/loadBundle';
import { parseManifest } from '../src/core/bundle/parseManifest';
import type { WeightPrecision } from '../src/core/defaults';
import { decodeNpy } from '../src/core/io/npy';
import { maxAbsDifference } from '../src/core/numeric';
import { formatBytes, weightBytes } from '../src/core/runtime/modelMemory';
import type { BenchRow } from './benchKit';
import { samplePeakRss } from './processMemory';

const root = resolve(import.meta.dirname, '..');
const MAX_SIDES = [448, 644] as const;
/** 64 prompts, one decoder batch: the real decoder's cost per prompt is reported separately. */
const POINTS_PER_SIDE = 8;

interface RunReport {
  loadMs: number;
  timings: Record<string, number>;
  peakRssBytes: number;
}

const seconds = (ms: number | undefined) => (ms === undefined ? '—' : (ms / 1000).toFixed(1));

/** A copy of the manifest beside it with another maxSide (files resolve to the same folder). */
function manifestWithMaxSide(bundleDir: string, maxSide: number): string {
  const manifest = JSON.parse(readFileSync(join(bundleDir, 'manifest.json'), 'utf8'));
  manifest.backbone.resize = { mode: 'pad', maxSide };
  const path = join(bundleDir, `manifest.maxside${maxSide}.json`);
  writeFileSync(path, JSON.stringify(manifest, null, 2));
  return path;
}

/** A 2:1 photo larger than both maxSides, so each one sets the backbone's input size. */
async function benchImage(dir: string): Promise<string> {
  const path = join(dir, 'road_1288x644.png');
  await sharp(resolve(root, 'public/samples/road_01_landscape.png'))
    .resize(1288, 644)
    .png()
    .toFile(path);
  return path;
}

function nodeRun(
  manifestPath: string,
  precision: WeightPrecision,
  image: string,
  scoreOut: string,
): RunReport | string {
  const result = spawnSync(
    'npx',
    [
      'tsx',
      'bench/realSizeNodeRun.ts',
      manifestPath,
      precision,
      image,
      scoreOut,
      String(POINTS_PER_SIDE),
    ],
    { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  if (result.status !== 0) {
    const lines = (result.stderr || result.stdout).trim().split('\n');
    return lines.find((line) => /Error/.test(line)) ?? lines.at(-1) ?? '';
  }
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '') as RunReport;
}

interface BrowserReport {
  coldLoadMs: number;
  cachedLoadMs: number;
  runs: Record<number, Record<string, number>>;
  peakRssBytes: number;
  longestTaskWhileLoadingMs: number;
  backend: string;
}

async function browserRuns(
  bundleDir: string,
  precision: WeightPrecision,
  image: string,
): Promise<BrowserReport | string> {
  const { launchChromium } = await import('../e2e/support/chromium');
  const { startStaticServer } = await import('../e2e/support/staticServer');
  const { openHarness } = await import('../e2e/support/harnessPage');
  const server = await startStaticServer({
    mounts: [
      { prefix: 'harness', root: resolve(root, 'e2e-results/harness-dist') },
      { prefix: 'bundle', root: bundleDir },
      { prefix: 'image', root: resolve(image, '..') },
    ],
    crossOriginIsolated: true,
  });
  const browser = await launchChromium('no-webgpu');
  const memory = samplePeakRss(browser.userDataDir);
  type Harness = {
    flowclasHarness: {
      open(
        url: string,
        webgpu: boolean,
        corrupt: boolean,
        extra: { precision: string },
      ): Promise<{ backend: { description: string; precisions: Record<string, string> } }>;
      analyze(url: string, options: { pointsPerSide: number }): Promise<{ timings: object }>;
      takeLongTasks(): number[];
    };
  };
  try {
    const page = await openHarness(browser, server.urlOf('harness'));
    const open = async (maxSide: number) => {
      const started = performance.now();
      const opened = await page.evaluate(
        ([url, chosen]) =>
          (window as unknown as Harness).flowclasHarness.open(url, false, false, {
            precision: chosen,
          }),
        [`../bundle/manifest.maxside${maxSide}.json`, precision] as const,
      );
      return { ms: performance.now() - started, opened };
    };
    const longTasks = () =>
      page.evaluate(() => (window as unknown as Harness).flowclasHarness.takeLongTasks());
    const analyze = async () =>
      (
        await page.evaluate(
          ([url, pointsPerSide]) =>
            (window as unknown as Harness).flowclasHarness.analyze(url, { pointsPerSide }),
          [`../image/${image.split('/').at(-1) ?? ''}`, POINTS_PER_SIDE] as const,
        )
      ).timings as Record<string, number>;

    await longTasks();
    const cold = await open(MAX_SIDES[0]);
    const loadingTasks = await longTasks();
    const runs: BrowserReport['runs'] = { [MAX_SIDES[0]]: await analyze() };
    await longTasks();
    // Same files, other manifest: every file now comes from Cache Storage.
    const cached = await open(MAX_SIDES[1]);
    loadingTasks.push(...(await longTasks()));
    runs[MAX_SIDES[1]] = await analyze();
    return {
      coldLoadMs: cold.ms,
      cachedLoadMs: cached.ms,
      runs,
      peakRssBytes: memory.peak(),
      longestTaskWhileLoadingMs: Math.max(0, ...loadingTasks),
      backend: `${cold.opened.backend.description}`,
    };
  } catch (error) {
    return error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
  } finally {
    memory.stop();
    await browser.close();
    await server.close();
  }
}

const stageRow = (timings: Record<string, number> | undefined) =>
  ['backbone', 'flow', 'segmenter-encoder', 'segmenter-decoder']
    .map((stage) => seconds(timings?.[stage]).padStart(9))
    .join('');

export async function main(argv: string[] = []): Promise<BenchRow[]> {
  const { values } = parseArgs({
    args: argv,
    options: { bundle: { type: 'string' }, 'node-only': { type: 'boolean' } },
  });
  const bundleDir = values.bundle ?? process.env.FLOWCLAS_REALSIZE_BUNDLE;
  if (!bundleDir) {
    return [
      {
        name: 'real-size bundle',
        value:
          'skipped (generate one with `npm run factory -- realsize --out DIR`, then FLOWCLAS_REALSIZE_BUNDLE=DIR)',
      },
    ];
  }
  const manifest = parseManifest(readFileSync(join(bundleDir, 'manifest.json'), 'utf8'), 'm');
  const precisions = (['fp32', 'fp16', 'int8'] as const).filter((precision) =>
    availablePrecisions(manifest, 'backbone').includes(precision),
  );
  const variantBytes = (precision: WeightPrecision) => {
    const weights = chooseWeights(
      manifest,
      Object.fromEntries(MODEL_ROLES.map((role) => [role, precision])),
    );
    return Object.values(weights).reduce((sum, w) => sum + weightBytes(manifest, w), 0);
  };
  const work = mkdtempSync(join(tmpdir(), 'flowclas-realsize-'));
  const rows: BenchRow[] = [];
  try {
    const image = await benchImage(work);
    for (const maxSide of MAX_SIDES) manifestWithMaxSide(bundleDir, maxSide);

    // onnxruntime-node, a fresh process per variant and size.
    const nodeLines = [
      `${'variant, maxSide'.padEnd(18)}${'bytes'.padStart(10)}${'load s'.padStart(9)}${'peak RSS'.padStart(11)}${'RSS/bytes'.padStart(10)}${'backbone'.padStart(9)}${'flow'.padStart(9)}${'encoder'.padStart(9)}${'decoder'.padStart(9)}${'|Δs| vs fp32'.padStart(14)}`,
    ];
    const nodeTotals: Record<string, number> = {};
    for (const maxSide of MAX_SIDES) {
      let fp32Score: Float32Array | undefined;
      for (const precision of precisions) {
        const scoreOut = join(work, `score-${precision}-${maxSide}.npy`);
        const report = nodeRun(
          join(bundleDir, `manifest.maxside${maxSide}.json`),
          precision,
          image,
          scoreOut,
        );
        const label = `${precision}, ${maxSide}`.padEnd(18);
        if (typeof report === 'string') {
          nodeLines.push(`${label}failed: ${report}`);
          continue;
        }
        const score = Float32Array.from(
          decodeNpy(new Uint8Array(readFileSync(scoreOut)), scoreOut)
            .data as unknown as ArrayLike<number>,
        );
        if (precision === 'fp32') fp32Score = score;
        const difference = fp32Score ? maxAbsDifference(score, fp32Score) : NaN;
        const bytes = variantBytes(precision);
        nodeTotals[`${precision}, ${maxSide}`] = Object.values(report.timings).reduce(
          (sum, ms) => sum + ms,
          0,
        );
        nodeLines.push(
          `${label}${formatBytes(bytes).padStart(10)}${seconds(report.loadMs).padStart(9)}${formatBytes(report.peakRssBytes).padStart(11)}${(report.peakRssBytes / bytes).toFixed(2).padStart(10)}${stageRow(report.timings)}${(precision === 'fp32' ? '—' : difference.toExponential(1)).padStart(14)}`,
        );
      }
    }
    rows.push({
      name: 'real-size bundle',
      value: `${bundleDir}, ${image.split('/').at(-1)}, ${POINTS_PER_SIDE}×${POINTS_PER_SIDE} AMG prompts; stage times in s`,
    });
    rows.push({ name: 'onnxruntime-node (2 threads)', value: `\n${nodeLines.join('\n')}` });

    if (!values['node-only']) {
      execFileSync('npx', ['vite', 'build', '-c', 'vite.harness.config.ts'], {
        cwd: root,
        stdio: 'ignore',
      });
      const browserLines = [
        `${'variant'.padEnd(10)}${'cold s'.padStart(8)}${'cached s'.padStart(9)}${'peak RSS'.padStart(11)}${'RSS/bytes'.padStart(10)}${'long task'.padStart(11)}  maxSide${'backbone'.padStart(9)}${'flow'.padStart(9)}${'encoder'.padStart(9)}${'decoder'.padStart(9)}${'WASM/node'.padStart(11)}`,
      ];
      for (const precision of precisions) {
        const report = await browserRuns(bundleDir, precision, image);
        if (typeof report === 'string') {
          browserLines.push(`${precision.padEnd(10)}failed: ${report}`);
          continue;
        }
        for (const maxSide of MAX_SIDES) {
          const timings = report.runs[maxSide];
          const total = Object.values(timings ?? {}).reduce((sum, ms) => sum + ms, 0);
          const nodeTotal = nodeTotals[`${precision}, ${maxSide}`];
          const head =
            maxSide === MAX_SIDES[0]
              ? `${precision.padEnd(10)}${seconds(report.coldLoadMs).padStart(8)}${seconds(report.cachedLoadMs).padStart(9)}${formatBytes(report.peakRssBytes).padStart(11)}${(report.peakRssBytes / variantBytes(precision)).toFixed(2).padStart(10)}${`${report.longestTaskWhileLoadingMs.toFixed(0)} ms`.padStart(11)}`
              : ' '.repeat(59);
          browserLines.push(
            `${head}  ${String(maxSide).padStart(7)}${stageRow(timings)}${(nodeTotal ? `${(total / nodeTotal).toFixed(2)}×` : '—').padStart(11)}`,
          );
        }
      }
      rows.push({
        name: 'Chromium WASM (2 threads, isolated)',
        value: `\n${browserLines.join('\n')}\n(cold: first open, fresh profile; cached: the other maxSide's manifest, files from Cache Storage; RSS: all Chromium processes)`,
      });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const row of await main(process.argv.slice(2)))
    console.log(`${row.name.padEnd(36)} ${row.value}`);
}
