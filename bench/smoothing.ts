/**
 * Benchmark: mask-based smoothing in our core vs the numpy reference written the straightforward
 * way (bench/reference/smoothing_reference.py), on the same 1024×2048 score map and 100 masks of
 * mixed sizes. Runs alternate between the two in one session; each side times only its smoothing
 * on a fresh copy of the scores. Also checks that both outputs are bit-identical.
 *
 * Run: npx tsx bench/smoothing.ts
 */
import { pathToFileURL } from 'node:url';
import { median, type BenchRow } from './benchKit';
import { smoothScoreMapInPlace } from '../src/core/smoothing';
import { randomMasks, randomScoreMap } from '../src/core/smoothing/testing/randomMasks';
import type { PixelMask, ScoreMap } from '../src/core/types';
import { startNumpySmoothing } from './smoothingReferenceProcess';

const WIDTH = 2048;
const HEIGHT = 1024;
const MASK_COUNT = 100;
const BINS = 20;
const REPEATS = 9;

function timeOurRun(scoreMap: ScoreMap, masks: readonly PixelMask[]) {
  const refined = { ...scoreMap, data: scoreMap.data.slice() };
  const started = performance.now();
  smoothScoreMapInPlace(refined, masks, BINS);
  return { seconds: (performance.now() - started) / 1000, refined };
}

function countDifferingPixels(ours: Float32Array, theirs: Float32Array): number {
  const ourBits = new Uint32Array(ours.buffer, ours.byteOffset, ours.length);
  const theirBits = new Uint32Array(theirs.buffer, theirs.byteOffset, theirs.length);
  let differing = Math.abs(ours.length - theirs.length);
  for (let i = 0; i < Math.min(ours.length, theirs.length); i++) {
    if (ourBits[i] !== theirBits[i]) differing++;
  }
  return differing;
}

const milliseconds = (seconds: number) => `${(seconds * 1000).toFixed(1)} ms`;

export async function main(): Promise<BenchRow[]> {
  const scoreMap = randomScoreMap(WIDTH, HEIGHT, 2026);
  const masks = randomMasks(WIDTH, HEIGHT, MASK_COUNT, 7, { min: 200, max: 200_000 });
  const maskPixels = masks.reduce((total, mask) => total + mask.pixels.length, 0);
  const numpy = await startNumpySmoothing(scoreMap, masks, BINS);

  // Warm-up lets V8 optimise the loops before timing, as numpy's are precompiled.
  for (let run = 0; run < 3; run++) timeOurRun(scoreMap, masks);
  await numpy.timeOneRun();

  const oursSeconds: number[] = [];
  const numpySeconds: number[] = [];
  let refined = scoreMap;
  for (let run = 0; run < REPEATS; run++) {
    const ours = timeOurRun(scoreMap, masks);
    oursSeconds.push(ours.seconds);
    refined = ours.refined;
    numpySeconds.push(await numpy.timeOneRun());
  }
  const differing = countDifferingPixels(refined.data, await numpy.finish());

  const ours = median(oursSeconds);
  const theirs = median(numpySeconds);
  return [
    {
      name: 'smoothing input',
      value: `${HEIGHT}×${WIDTH} scores, ${MASK_COUNT} masks (${maskPixels} pixels), ${BINS} bins`,
    },
    {
      name: `smoothing, ours (median | best of ${REPEATS})`,
      value: `${milliseconds(ours)} | ${milliseconds(Math.min(...oursSeconds))}`,
    },
    {
      name: `smoothing, numpy reference (median | best of ${REPEATS})`,
      value: `${milliseconds(theirs)} | ${milliseconds(Math.min(...numpySeconds))}`,
    },
    {
      name: 'smoothing speed-up vs numpy (medians | best)',
      value: `${(theirs / ours).toFixed(1)}× | ${(Math.min(...numpySeconds) / Math.min(...oursSeconds)).toFixed(1)}×`,
    },
    {
      name: 'smoothing outputs bit-identical to numpy',
      value: differing === 0 ? 'yes' : `NO: ${differing} pixels differ`,
    },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.table(await main());
}
