/**
 * Benchmark: onnxruntime-web's two WebGPU engines on the same fixture bundle in Chromium — JSEP
 * (the default import) and the native WebGPU EP (`onnxruntime-web/webgpu`) — for the self-check
 * verdict, the score map against the PyTorch golden, and the time to open and analyse. Here the
 * adapter is SwiftShader (WebGPU emulated on the CPU): correctness carries over to real GPUs,
 * timings only roughly.
 *
 * Run: npx tsx bench/webgpuEngines.ts [--variant tokens-reg4]
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { maxAbsDifference } from '../src/core/numeric';
import { readGoldens } from '../src/core/testing/goldens';
import type { BenchRow } from './benchKit';

const root = resolve(import.meta.dirname, '..');
const engines = ['jsep', 'native'] as const;

interface EngineReport {
  openMs: number;
  provider: string;
  selfCheck: string;
  analyseMs: number;
  scoreError: number;
}

async function runEngine(engine: string, variant: string): Promise<EngineReport | string> {
  const outDir = resolve(root, `e2e-results/harness-${engine}`);
  execFileSync('npx', ['vite', 'build', '-c', 'vite.harness.config.ts', '--outDir', outDir], {
    cwd: root,
    stdio: 'ignore',
    env: { ...process.env, FLOWCLAS_ORT_ENGINE: engine },
  });
  const { launchChromium } = await import('../e2e/support/chromium');
  const { startStaticServer } = await import('../e2e/support/staticServer');
  const { openHarness } = await import('../e2e/support/harnessPage');
  const server = await startStaticServer({
    mounts: [
      { prefix: 'harness', root: outDir },
      { prefix: 'fixtures', root: resolve(root, 'fixtures') },
    ],
    crossOriginIsolated: true,
  });
  const browser = await launchChromium('webgpu');
  type Harness = {
    flowclasHarness: {
      open(
        url: string,
        webgpu: boolean,
      ): Promise<{
        backend: {
          provider: string;
          webGpuUnavailableReason?: string;
          selfCheck?: { agrees: boolean };
        };
      }>;
      analyze(url: string): Promise<{ score: number[] }>;
    };
  };
  try {
    const page = await openHarness(browser, server.urlOf('harness'));
    const started = performance.now();
    const opened = await page.evaluate(
      (url) => (window as unknown as Harness).flowclasHarness.open(url, true),
      `../fixtures/bundles/${variant}/manifest.json`,
    );
    const openMs = performance.now() - started;
    const imageUrl = `../fixtures/bundles/${variant}/golden/image.png`;
    const analyse = () =>
      page.evaluate((url) => (window as unknown as Harness).flowclasHarness.analyze(url), imageUrl);
    await analyse(); // the first run compiles shaders
    const analyseStarted = performance.now();
    const result = await analyse();
    const analyseMs = performance.now() - analyseStarted;
    const golden = readGoldens(resolve(root, 'fixtures/bundles', variant, 'golden'));
    const { backend } = opened;
    return {
      openMs,
      provider: backend.provider,
      selfCheck: backend.selfCheck
        ? backend.selfCheck.agrees
          ? 'agrees'
          : `disagrees: ${backend.webGpuUnavailableReason ?? ''}`
        : (backend.webGpuUnavailableReason ?? '—'),
      analyseMs,
      scoreError: maxAbsDifference(result.score, golden.array('score').data),
    };
  } catch (error) {
    return error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
  } finally {
    await browser.close();
    await server.close();
  }
}

export async function main(argv: string[] = []): Promise<BenchRow[]> {
  const { values } = parseArgs({ args: argv, options: { variant: { type: 'string' } } });
  const variant = values.variant ?? 'tokens-reg4';
  const rows: BenchRow[] = [
    { name: 'WebGPU engines', value: `fixture ${variant}, Chromium on SwiftShader` },
  ];
  for (const engine of engines) {
    const report = await runEngine(engine, variant);
    rows.push({
      name: `${engine}`,
      value:
        typeof report === 'string'
          ? `failed: ${report}`
          : `runs on ${report.provider}, self-check ${report.selfCheck}; open ${(report.openMs / 1000).toFixed(1)} s, ` +
            `analysis ${(report.analyseMs / 1000).toFixed(1)} s, |score − golden| ${report.scoreError.toExponential(1)}`,
    });
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const row of await main(process.argv.slice(2)))
    console.log(`${row.name.padEnd(16)} ${row.value}`);
}
