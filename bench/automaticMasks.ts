/**
 * Benchmark: the two automatic-mask paths on the SAME decoder outputs. Every decoder batch of
 * every sample image is fed to both generators (exact: stability on the logits upsampled to H × W;
 * fast: stability on the low-res logits, only survivors upsampled), so every difference comes from
 * the post-processing. Reports how far the fast masks agree with the exact ones, what that does
 * to the refined maps' AUPRC, and the post-processing time of each, alternating the two in one
 * run. Run: npx tsx bench/automaticMasks.ts [--bundle DIR] [--samples DIR] [--repeats N]
 */
import { loadLocalBundle } from '../src/node/loadLocalBundle';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { computeAnomalyScore } from '../src/core/analysis/anomalyScore';
import { decodePromptGrid } from '../src/core/analysis/automaticMasks';
import { StageClock } from '../src/core/analysis/stages';
import { labelMapFromPng } from '../src/core/io/png';
import { rgb8FromPng } from '../src/core/io/pngImage';
import { createMetricsAccumulator } from '../src/core/metrics';
import { createBundleSessions } from '../src/core/runtime/sessions';
import { AutomaticMaskGenerator, type AmgPath, type AutomaticMask } from '../src/core/sam2';
import { smoothScoreMap } from '../src/core/smoothing';
import { maskAgreement } from '../src/core/testing/maskAgreement';
import { ortNodeApi } from '../src/node/ortNode';
import { median, type BenchRow } from './benchKit';

const root = resolve(import.meta.dirname, '..');
const paths: AmgPath[] = ['exact', 'fast'];

interface PathRun {
  masks: AutomaticMask[];
  upsampled: number;
  /** Median over repeats of the post-processing time (every addBatch, then finish). */
  milliseconds: number;
}

/**
 * Feeds each decoder batch to `repeats` generators per path, alternating which path goes first,
 * and times each generator's total (every addBatch, then finish) on the same typed arrays.
 */
async function runBothPaths(
  decoded: ReturnType<typeof decodePromptGrid>,
  makeGenerator: (path: AmgPath) => AutomaticMaskGenerator,
  repeats: number,
): Promise<Record<AmgPath, PathRun>> {
  const perPath = <T>(make: (path: AmgPath) => T) =>
    ({ exact: make('exact'), fast: make('fast') }) as Record<AmgPath, T>;
  const generators = perPath((path) => Array.from({ length: repeats }, () => makeGenerator(path)));
  const times = perPath(() => new Array<number>(repeats).fill(0));
  const masks = perPath((): AutomaticMask[] => []);
  const eachTimed = (work: (generator: AutomaticMaskGenerator, path: AmgPath) => void) => {
    for (let repeat = 0; repeat < repeats; repeat++) {
      for (const path of repeat % 2 === 0 ? paths : [...paths].reverse()) {
        const started = performance.now();
        work(generators[path][repeat] as AutomaticMaskGenerator, path);
        times[path][repeat] = (times[path][repeat] ?? 0) + performance.now() - started;
      }
    }
  };
  for await (const { masksLogits, iouPredictions } of decoded) {
    eachTimed((generator) => generator.addBatch(masksLogits, iouPredictions));
  }
  eachTimed((generator, path) => {
    masks[path] = generator.finish();
  });
  return perPath((path) => ({
    masks: masks[path],
    upsampled: generators[path][0]?.upsampledCount ?? 0,
    milliseconds: median(times[path]),
  }));
}

export async function main(argv: string[] = []): Promise<BenchRow[]> {
  const { values } = parseArgs({
    args: argv,
    options: {
      bundle: { type: 'string' },
      samples: { type: 'string' },
      repeats: { type: 'string' },
    },
  });
  const bundleDir = resolve(values.bundle ?? resolve(root, 'public/models/demo'));
  const samplesDir = resolve(values.samples ?? resolve(root, 'public/samples'));
  const repeats = Number(values.repeats ?? 3);
  const bundle = await loadLocalBundle(bundleDir);
  const { manifest } = bundle;
  const segmenter = manifest.segmenter;
  if (!segmenter) return [{ name: 'automatic masks', value: 'n/a (the bundle has no segmenter)' }];
  const images = readdirSync(samplesDir)
    .filter((name) => name.endsWith('.png') && !name.endsWith('_gt.png'))
    .sort();
  const sessions = await createBundleSessions(ortNodeApi, bundle, 'cpu', 2);
  const { encoder, decoder } = sessions;
  if (!encoder || !decoder) throw new Error('segmenter sessions missing');

  const totals = { exact: 0, fast: 0, upsampledExact: 0, upsampledFast: 0 };
  const counts = { exactMasks: 0, fastMasks: 0, identical: 0, matched: 0, unmatchedFast: 0 };
  const bestIous: number[] = [];
  const refined = {
    exact: createMetricsAccumulator({ mode: 'exact' }),
    fast: createMetricsAccumulator({ mode: 'exact' }),
  };
  try {
    for (const name of images) {
      const path = resolve(samplesDir, name);
      const image = rgb8FromPng(new Uint8Array(readFileSync(path)), path);
      const clock = new StageClock();
      const { scoreMap } = await computeAnomalyScore(ortNodeApi, sessions, manifest, image, clock);
      const runs = await runBothPaths(
        decodePromptGrid(ortNodeApi, { encoder, decoder }, segmenter, image, clock),
        (amgPath) =>
          new AutomaticMaskGenerator(image, segmenter.amg, {
            lowResSize: segmenter.imageSize / 4,
            path: amgPath,
          }),
        repeats,
      );
      const agreement = maskAgreement(
        runs.exact.masks.map((m) => m.mask),
        runs.fast.masks.map((m) => m.mask),
      );
      totals.exact += runs.exact.milliseconds;
      totals.fast += runs.fast.milliseconds;
      totals.upsampledExact += runs.exact.upsampled;
      totals.upsampledFast += runs.fast.upsampled;
      counts.exactMasks += agreement.referenceCount;
      counts.fastMasks += agreement.otherCount;
      counts.identical += agreement.identical;
      counts.matched += agreement.matched;
      counts.unmatchedFast += agreement.unmatchedOther;
      bestIous.push(...agreement.bestIous);
      const gtPath = resolve(samplesDir, name.replace(/\.png$/, '_gt.png'));
      if (existsSync(gtPath)) {
        const labels = labelMapFromPng(new Uint8Array(readFileSync(gtPath)), gtPath);
        for (const amgPath of paths) {
          const masks = runs[amgPath].masks.map((m) => m.mask);
          refined[amgPath].add(smoothScoreMap(scoreMap, masks, manifest.smoothing.bins), labels);
        }
      }
    }
  } finally {
    await sessions.release();
  }

  const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)} %`;
  const auprc = (amgPath: AmgPath) => refined[amgPath].result().pooled.auprc * 100;
  const meanIou = bestIous.reduce((sum, iou) => sum + iou, 0) / bestIous.length;
  return [
    {
      name: 'automatic masks input',
      value: `${bundleDir.replace(`${root}/`, '')} on ${images.length} images of ${samplesDir.replace(`${root}/`, '')}, decoder run once per image, ${repeats} timed repeats per path`,
    },
    {
      name: 'candidates upsampled, exact | fast',
      value: `${totals.upsampledExact} | ${totals.upsampledFast}`,
    },
    { name: 'masks after NMS, exact | fast', value: `${counts.exactMasks} | ${counts.fastMasks}` },
    {
      name: 'exact masks the fast path also finds',
      value: `${percent(counts.identical, counts.exactMasks)} identical, ${percent(counts.matched, counts.exactMasks)} with IoU ≥ 0.95, mean best IoU ${meanIou.toFixed(3)}`,
    },
    {
      name: 'fast masks with no exact match (IoU ≥ 0.95)',
      value: `${counts.unmatchedFast} of ${counts.fastMasks}`,
    },
    {
      name: 'refined pooled AUPRC, exact | fast',
      value: `${auprc('exact').toFixed(2)} % | ${auprc('fast').toFixed(2)} %`,
    },
    {
      name: 'mask post-processing, exact | fast',
      value: `${totals.exact.toFixed(0)} ms | ${totals.fast.toFixed(0)} ms (sum of per-image medians)`,
    },
    { name: 'fast / exact time', value: `${(totals.fast / totals.exact).toFixed(2)}×` },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const row of await main(process.argv.slice(2)))
    console.log(`${row.name.padEnd(44)} ${row.value}`);
}
