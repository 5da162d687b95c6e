/**
 * Benchmark: pixel-metrics throughput of the streaming accumulator in exact and binned (5000
 * sigmoid thresholds) modes, on four 1024×2048 images with ~5% anomaly and ~3% ignore pixels.
 * Each run adds every image (per-image metrics) and then asks for the pooled result.
 *
 * Run: npx tsx bench/metrics.ts
 */
import { pathToFileURL } from 'node:url';
import { median, type BenchRow } from './benchKit';
import { createMetricsAccumulator, type MetricsOptions } from '../src/core/metrics';
import { seededNormal, seededRandom } from '../src/core/testing/numericTesting';
import type { LabelMap, ScoreMap } from '../src/core/types';

const WIDTH = 2048;
const HEIGHT = 1024;
const IMAGES = 4;
const REPEATS = 5;

function benchImage(seed: number): { scores: ScoreMap; labels: LabelMap } {
  const random = seededRandom(seed);
  const noise = seededNormal(seed + 1);
  const labels = new Uint8Array(WIDTH * HEIGHT);
  const scores = new Float32Array(WIDTH * HEIGHT);
  for (let i = 0; i < labels.length; i++) {
    const u = random();
    const label = u < 0.05 ? 1 : u < 0.08 ? 255 : 0;
    labels[i] = label;
    scores[i] = 0.8 * noise() + (label === 1 ? 1.5 : -0.5);
  }
  return {
    scores: { width: WIDTH, height: HEIGHT, data: scores },
    labels: { width: WIDTH, height: HEIGHT, data: labels },
  };
}

function timeOneRun(images: ReturnType<typeof benchImage>[], options: MetricsOptions) {
  const started = performance.now();
  const accumulator = createMetricsAccumulator(options);
  for (const { scores, labels } of images) accumulator.add(scores, labels);
  const { pooled } = accumulator.result();
  return { seconds: (performance.now() - started) / 1000, pooled };
}

export async function main(): Promise<BenchRow[]> {
  const images = Array.from({ length: IMAGES }, (_, k) => benchImage(100 + k));
  const pixels = IMAGES * WIDTH * HEIGHT;
  const rows: BenchRow[] = [
    { name: 'metrics input', value: `${IMAGES} images of ${HEIGHT}×${WIDTH} (${pixels} pixels)` },
  ];
  for (const options of [{ mode: 'exact' }, { mode: 'binned' }] as const) {
    timeOneRun(images, options); // warm-up: lets V8 optimise the loops
    const runs = Array.from({ length: REPEATS }, () => timeOneRun(images, options));
    const seconds = median(runs.map((run) => run.seconds));
    const { pooled } = runs[0] as (typeof runs)[number];
    rows.push({
      name: `metrics throughput, ${options.mode} (median of ${REPEATS})`,
      value:
        `${(pixels / seconds / 1e6).toFixed(1)} Mpixels/s (${(seconds * 1000).toFixed(0)} ms; ` +
        `pooled AUPRC ${pooled.auprc.toFixed(4)}, FPR95 ${pooled.fpr95.toFixed(4)}, ` +
        `AUROC ${pooled.auroc.toFixed(4)})`,
    });
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.table(await main());
}
