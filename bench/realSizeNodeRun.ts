/**
 * One real-size run in its own process, so its peak memory is its own: load a bundle's chosen
 * weight variant in onnxruntime-node, analyse one image, print timings and peak RSS as JSON, and
 * write the score map (float32 .npy) for the accuracy comparison.
 *
 * Run: npx tsx bench/realSizeNodeRun.ts MANIFEST PRECISION IMAGE SCORE_OUT POINTS_PER_SIDE
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { analyzeImage } from '../src/core/analysis';
import { scoreMapToNpy } from '../src/core/io/npy';
import type { PrecisionPreference } from '../src/core/runtime/weightPrecision';
import { decodeImageFile } from '../src/node/decodeImage';
import { openLocalBundle } from '../src/node/loadLocalBundle';
import { ortNodeApi } from '../src/node/ortNode';

/** Peak resident memory of this process (the kernel's high-water mark), in bytes. */
function peakRssBytes(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) * 1024 : process.memoryUsage().rss;
}

const [manifestPath, precision, imagePath, scoreOut, pointsPerSide] = process.argv.slice(2);
if (!manifestPath || !precision || !imagePath || !scoreOut || !pointsPerSide) {
  throw new Error('usage: realSizeNodeRun MANIFEST PRECISION IMAGE SCORE_OUT POINTS_PER_SIDE');
}
const loadStarted = performance.now();
const bundle = await openLocalBundle(manifestPath, {
  precision: precision as PrecisionPreference,
  cpuThreads: 2,
});
const { sessions } = bundle;
const loadMs = performance.now() - loadStarted;
const image = await decodeImageFile(new Uint8Array(readFileSync(imagePath)), imagePath);
const result = await analyzeImage(ortNodeApi, sessions, bundle.manifest, image, {
  pointsPerSide: Number(pointsPerSide),
});
writeFileSync(scoreOut, scoreMapToNpy(result.scoreMap));
await sessions.release();
console.log(
  JSON.stringify({
    loadMs,
    timings: result.timings,
    peakRssBytes: peakRssBytes(),
    precisions: Object.fromEntries(
      Object.entries(bundle.weights).map(([role, weights]) => [role, weights.precision]),
    ),
  }),
);
