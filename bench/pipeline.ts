/**
 * Benchmark: the whole pipeline per stage on one image, in onnxruntime-node (2 threads) with each
 * automatic-mask path, browser WASM (1 thread, and 2 threads when cross-origin isolated) and, when
 * the factory can run it, the PyTorch reference pipeline, all in one run so the ratios share the
 * machine's state.
 *
 * Run: npx tsx bench/pipeline.ts [--bundle DIR] [--image PNG] [--repeats N] [--node-only]
 */
import { loadLocalBundle } from '../src/node/loadLocalBundle';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import {
  ANALYSIS_STAGES,
  analyzeImage,
  type AnalysisStage,
  type StageTimings,
} from '../src/core/analysis';
import { DEFAULT_AMG_PATH, type AmgPath } from '../src/core/sam2';
import { rgb8FromPng } from '../src/core/io/pngImage';
import { createBundleSessions } from '../src/core/runtime/sessions';
import { ortNodeApi } from '../src/node/ortNode';
import { median, type BenchRow } from './benchKit';

const root = resolve(import.meta.dirname, '..');

/** TypeScript stages, plus decode and (for PyTorch, which runs SAM 2 in one call) a SAM 2 total. */
type Timings = StageTimings & { decode?: number; 'segmenter-total'?: number };

const segmenterStages = [
  'segmenter-input',
  'segmenter-encoder',
  'segmenter-decoder',
  'mask-postprocess',
] as const;

/** SAM 2 end to end (input, encoder, decoder batches, automatic masks) in any column. */
const segmenterTotal = (timings: Timings) =>
  timings['segmenter-total'] ??
  segmenterStages.reduce((sum, stage) => sum + (timings[stage] ?? 0), 0);

/** Stages that are our own code (everything but model runs). */
const postProcessingStages = [
  'decode',
  'backbone-input',
  'score-map',
  'segmenter-input',
  'mask-postprocess',
  'smoothing',
] as const;
const stageNames = ['decode', ...Object.keys(ANALYSIS_STAGES)] as ('decode' | AnalysisStage)[];
const amgPaths: AmgPath[] = ['exact', 'fast'];

function defaultInputs(): { bundle: string; image: string } {
  const demo = resolve(root, 'public/models/demo');
  const samples = resolve(root, 'public/samples');
  if (existsSync(resolve(demo, 'manifest.json')) && existsSync(samples)) {
    const first = readdirSync(samples).find(
      (name) => name.endsWith('.png') && !name.endsWith('_gt.png'),
    );
    if (first) return { bundle: demo, image: resolve(samples, first) };
  }
  const fixture = resolve(root, 'fixtures/bundles/tokens-cls');
  return { bundle: fixture, image: resolve(fixture, 'golden/image.png') };
}

function medianTimings(runs: Timings[]): Timings {
  const result: Timings = {};
  for (const stage of stageNames) {
    const samples = runs.map((run) => run[stage]).filter((ms): ms is number => ms !== undefined);
    if (samples.length > 0) result[stage] = median(samples);
  }
  return result;
}

const total = (timings: Timings) => Object.values(timings).reduce((sum, ms) => sum + (ms ?? 0), 0);

/** Both automatic-mask paths, alternating run by run so they share the machine's state. */
async function nodeRuns(
  bundleDir: string,
  imagePath: string,
  repeats: number,
): Promise<Record<AmgPath, Timings[]>> {
  const bundle = await loadLocalBundle(bundleDir);
  const sessions = await createBundleSessions(ortNodeApi, bundle, 'cpu', 2);
  const bytes = new Uint8Array(readFileSync(imagePath));
  const runs: Record<AmgPath, Timings[]> = { exact: [], fast: [] };
  try {
    for (let i = 0; i <= repeats; i++) {
      for (const amgPath of i % 2 === 0 ? amgPaths : [...amgPaths].reverse()) {
        const started = performance.now();
        const image = rgb8FromPng(bytes, imagePath);
        const decode = performance.now() - started;
        const result = await analyzeImage(ortNodeApi, sessions, bundle.manifest, image, {
          amgPath,
        });
        if (i > 0) runs[amgPath].push({ decode, ...result.timings }); // run 0 warms up
      }
    }
  } finally {
    await sessions.release();
  }
  return runs;
}

async function browserRuns(
  bundleDir: string,
  imagePath: string,
  repeats: number,
  crossOriginIsolated: boolean,
): Promise<{ runs: Timings[]; backend: string }> {
  // Loaded only here: with Playwright in the process, the node runs' own code ran far slower.
  const { launchChromium } = await import('../e2e/support/chromium');
  const { startStaticServer } = await import('../e2e/support/staticServer');
  const harnessDir = resolve(root, 'e2e-results/harness-dist');
  const server = await startStaticServer({
    mounts: [
      { prefix: 'harness', root: harnessDir },
      { prefix: 'bundle', root: bundleDir },
      { prefix: 'image', root: resolve(imagePath, '..') },
    ],
    crossOriginIsolated,
  });
  const browser = await launchChromium('no-webgpu');
  try {
    const page = await browser.context.newPage();
    await page.goto(server.urlOf('harness'));
    await page.waitForSelector('body[data-ready="true"]');
    type Harness = {
      flowclasHarness: {
        open(url: string, webgpu: boolean): Promise<{ backend: { description: string } }>;
        analyze(url: string): Promise<{ timings: Timings }>;
      };
    };
    const opened = await page.evaluate(
      (url) => (window as unknown as Harness).flowclasHarness.open(url, false),
      '../bundle/manifest.json',
    );
    const imageUrl = `../image/${encodeURIComponent(imagePath.split('/').at(-1) ?? '')}`;
    const runs: Timings[] = [];
    for (let i = 0; i <= repeats; i++) {
      const result = await page.evaluate(
        (url) => (window as unknown as Harness).flowclasHarness.analyze(url),
        imageUrl,
      );
      if (i > 0) runs.push(result.timings);
    }
    return { runs, backend: opened.backend.description };
  } finally {
    await browser.close();
    await server.close();
  }
}

/**
 * The factory's PyTorch pipeline, when a build's trained checkpoints are at hand: set
 * FLOWCLAS_FACTORY_WORK to the folder given to `npm run factory -- build --work DIR`.
 */
function pytorchRuns(bundleDir: string, imagePath: string, repeats: number): Timings | null {
  const work = process.env.FLOWCLAS_FACTORY_WORK;
  if (!work) return null;
  const result = spawnSync(
    'sh',
    [
      'tools/factory.sh',
      'bench-pipeline',
      '--bundle',
      bundleDir,
      '--image',
      imagePath,
      '--checkpoints',
      resolve(work, 'checkpoints'),
      '--repeats',
      String(repeats),
    ],
    { cwd: root, encoding: 'utf8' },
  );
  if (result.status !== 0) return null;
  try {
    const timings = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '') as Record<
      string,
      number
    >;
    // The reference runs encoder, decoder and mask post-processing as one call.
    const { 'segmenter (all)': segmenter, ...rest } = timings;
    return { ...rest, 'segmenter-total': segmenter } as Timings;
  } catch {
    return null;
  }
}

const ms = (value: number | undefined) => (value === undefined ? '—' : value.toFixed(1));

export async function main(argv: string[] = []): Promise<BenchRow[]> {
  const { values } = parseArgs({
    args: argv,
    options: {
      bundle: { type: 'string' },
      image: { type: 'string' },
      repeats: { type: 'string' },
      'node-only': { type: 'boolean' },
    },
  });
  const defaults = defaultInputs();
  const bundleDir = resolve(values.bundle ?? defaults.bundle);
  const imagePath = resolve(values.image ?? defaults.image);
  const repeats = Number(values.repeats ?? 3);

  const columns: [string, Timings | null][] = [];
  const node = await nodeRuns(bundleDir, imagePath, repeats);
  columns.push(['node exact (2 thr)', medianTimings(node.exact)]);
  columns.push(['node fast (2 thr)', medianTimings(node.fast)]);
  if (values['node-only']) {
    columns.push(['wasm', null], ['wasm', null], ['pytorch', null]);
  } else {
    // Rebuilt every run (about 2 s): a harness left from older code would time that code.
    execFileSync('npx', ['vite', 'build', '-c', 'vite.harness.config.ts'], {
      cwd: root,
      stdio: 'ignore',
    });
    // The harness runs the worker with its default automatic-mask path.
    const wasm1 = await browserRuns(bundleDir, imagePath, repeats, false);
    columns.push([
      `wasm (${wasm1.backend.replace('WebAssembly, ', '')})`,
      medianTimings(wasm1.runs),
    ]);
    const wasm2 = await browserRuns(bundleDir, imagePath, repeats, true);
    columns.push([
      `wasm (${wasm2.backend.replace('WebAssembly, ', '')})`,
      medianTimings(wasm2.runs),
    ]);
    columns.push(['pytorch', pytorchRuns(bundleDir, imagePath, repeats)]);
  }

  const header = `${'stage (median ms)'.padEnd(26)}${columns.map(([name]) => name.padStart(18)).join('')}`;
  const lines = [header];
  const row = (label: string, value: (timings: Timings) => number | undefined) =>
    lines.push(
      `${label.padEnd(26)}${columns
        .map(([, timings]) => ms(timings ? value(timings) : undefined).padStart(18))
        .join('')}`,
    );
  for (const stage of stageNames) {
    row(stage === 'decode' ? 'Decode image' : ANALYSIS_STAGES[stage], (timings) => timings[stage]);
  }
  row('SAM 2 total', segmenterTotal);
  row('end to end', total);
  const [nodeExact, nodeFast, wasmOne, wasmTwo, pytorch] = columns.map(([, timings]) =>
    timings ? total(timings) : NaN,
  );
  const nodeDefault = DEFAULT_AMG_PATH === 'exact' ? nodeExact : nodeFast;
  const share = (amgPath: AmgPath) => {
    const timings = medianTimings(node[amgPath]);
    const ours = postProcessingStages.reduce((sum, stage) => sum + (timings[stage] ?? 0), 0);
    const label = amgPath === DEFAULT_AMG_PATH ? 'the default, as the app and CLI run' : 'option';
    return `${((100 * ours) / total(timings)).toFixed(1)} % of ${total(timings).toFixed(0)} ms (${label})`;
  };
  const rows: BenchRow[] = [
    {
      name: 'pipeline input',
      value: `${bundleDir.replace(`${root}/`, '')} on ${imagePath.replace(`${root}/`, '')}, ${repeats} runs after a warm-up`,
    },
    { name: 'per-stage table', value: `\n${lines.join('\n')}` },
    {
      name: `browser WASM / node ${DEFAULT_AMG_PATH}, 1 thread`,
      value: `${((wasmOne ?? NaN) / (nodeDefault ?? NaN)).toFixed(2)}×`,
    },
    {
      name: `browser WASM / node ${DEFAULT_AMG_PATH}, isolated`,
      value: `${((wasmTwo ?? NaN) / (nodeDefault ?? NaN)).toFixed(2)}×`,
    },
    {
      name: `node ${DEFAULT_AMG_PATH} / pytorch`,
      value: Number.isNaN(pytorch)
        ? 'n/a (no local PyTorch checkpoints)'
        : `${((nodeDefault ?? NaN) / (pytorch ?? NaN)).toFixed(2)}×`,
    },
    { name: 'our post-processing share, node exact', value: share('exact') },
    { name: 'our post-processing share, node fast', value: share('fast') },
    {
      name: 'node fast / node exact',
      value: `${((nodeFast ?? NaN) / (nodeExact ?? NaN)).toFixed(2)}×`,
    },
  ];
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const row of await main(process.argv.slice(2)))
    console.log(`${row.name.padEnd(36)} ${row.value}`);
}
