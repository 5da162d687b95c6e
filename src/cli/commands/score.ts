/**
 * `flowclas score`: the full pipeline over a batch of images. A bad image is reported in one
 * line and skipped; the rest of the batch still runs; the exit code says whether all succeeded.
 */
import { loadLocalBundle } from '../../node/loadLocalBundle';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { analyzeImage } from '../../core/analysis';
import { scoreMapToNpy } from '../../core/io/npy';
import { rgbaToPng } from '../../core/io/png';
import { encodeAutomaticMasks } from '../../core/io/rleMaskList';
import { createMetricsAccumulator, metricsJson, type MetricsAccumulator } from '../../core/metrics';
import { scoreMapToRgba } from '../../core/render';
import { createBundleSessions } from '../../core/runtime/sessions';
import type { AmgPath } from '../../core/sam2';
import type { ScoreMap } from '../../core/types';
import { decodeImageFile } from '../../node/decodeImage';
import { ortNodeApi } from '../../node/ortNode';
import { describeFailure } from '../failures';
import { readInputFile, readLabelMap } from '../inputFiles';

export interface ScoreOptions {
  bundle: string;
  out: string;
  gtDir?: string;
  masks: boolean;
  bins?: number;
  thresholds: 'exact' | number;
  amg: AmgPath;
}

const imageExtensions = new Set(['.png', '.jpg', '.jpeg']);

/** Image arguments may be files or folders (their images, ground-truth files excluded). */
function expandImages(paths: string[]): string[] {
  return paths.flatMap((path) => {
    if (!existsSync(path) || !statSync(path).isDirectory()) return [path];
    return readdirSync(path)
      .filter((name) => imageExtensions.has(extname(name).toLowerCase()) && !isGroundTruth(name))
      .sort()
      .map((name) => join(path, name));
  });
}

const stemOf = (path: string) => basename(path, extname(path));
const isGroundTruth = (name: string) => stemOf(name).endsWith('_gt');

function findGroundTruth(imagePath: string, gtDir: string | undefined): string | undefined {
  const stem = stemOf(imagePath);
  const folders = [gtDir, dirname(imagePath)].filter((folder): folder is string => !!folder);
  for (const folder of folders) {
    for (const name of [`${stem}_gt.png`, `${stem}_gt.npy`, `${stem}.png`, `${stem}.npy`]) {
      const candidate = join(folder, name);
      // An image never serves as its own ground truth.
      if (resolve(candidate) !== resolve(imagePath) && existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

export async function runScore(images: string[], options: ScoreOptions): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const bundle = await loadLocalBundle(options.bundle);
  const { manifest } = bundle;
  const sessions = await createBundleSessions(ortNodeApi, bundle, 'cpu');
  mkdirSync(options.out, { recursive: true });
  const metricsMode =
    options.thresholds === 'exact'
      ? ({ mode: 'exact' } as const)
      : ({ mode: 'binned', bins: options.thresholds } as const);
  const raw: MetricsAccumulator = createMetricsAccumulator(metricsMode);
  const refined: MetricsAccumulator = createMetricsAccumulator(metricsMode);
  let evaluated = 0;
  const failures: string[] = [];
  const colouring = { colormap: manifest.display.colormap, range: manifest.display.scoreRange };
  const writeHeatmap = (path: string, map: ScoreMap) =>
    writeFileSync(path, rgbaToPng(map.width, map.height, scoreMapToRgba(map, colouring)));

  const imagePaths = expandImages(images);
  try {
    for (const [index, imagePath] of imagePaths.entries()) {
      const stem = stemOf(imagePath);
      try {
        const image = await decodeImageFile(readInputFile(imagePath, 'image'), imagePath);
        const gtPath = findGroundTruth(imagePath, options.gtDir);
        const labels = gtPath ? readLabelMap(gtPath) : undefined;
        if (labels && (labels.width !== image.width || labels.height !== image.height)) {
          throw new Error(
            `${gtPath}: ground truth is ${labels.width}×${labels.height} but the image is ${image.width}×${image.height}.`,
          );
        }
        const result = await analyzeImage(ortNodeApi, sessions, manifest, image, {
          withMasks: options.masks,
          bins: options.bins,
          amgPath: options.amg,
        });
        writeFileSync(join(options.out, `${stem}.score.npy`), scoreMapToNpy(result.scoreMap));
        writeHeatmap(join(options.out, `${stem}.score.png`), result.scoreMap);
        if (result.masks && result.refinedScoreMap) {
          writeFileSync(
            join(options.out, `${stem}.refined.npy`),
            scoreMapToNpy(result.refinedScoreMap),
          );
          writeHeatmap(join(options.out, `${stem}.refined.png`), result.refinedScoreMap);
          writeFileSync(
            join(options.out, `${stem}.masks.json`),
            encodeAutomaticMasks(result.masks),
          );
        }
        if (labels) {
          raw.add(result.scoreMap, labels, stem);
          if (result.refinedScoreMap) refined.add(result.refinedScoreMap, labels, stem);
          evaluated++;
        }
        const total = Object.values(result.timings).reduce((sum, ms) => sum + ms, 0);
        log(
          `[${index + 1}/${imagePaths.length}] ${imagePath}: ${result.masks ? `${result.masks.length} masks, ` : ''}` +
            `${labels ? 'with ground truth, ' : ''}${total.toFixed(0)} ms`,
        );
      } catch (error) {
        failures.push(imagePath);
        const message = describeFailure(error);
        // Core messages usually name the file already.
        const line = message.includes(imagePath) ? message : `${imagePath}: ${message}`;
        log(`[${index + 1}/${imagePaths.length}] ${line}`);
      }
    }
  } finally {
    await sessions.release();
  }

  if (evaluated > 0) {
    const metrics = {
      bundle: manifest.name,
      raw: metricsJson(raw.result()),
      ...(options.masks && manifest.segmenter ? { refined: metricsJson(refined.result()) } : {}),
    };
    writeFileSync(join(options.out, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
    log(`metrics of ${evaluated} image(s) written to ${join(options.out, 'metrics.json')}`);
  }
  if (failures.length > 0) {
    process.exitCode = 1;
    log(`${failures.length} of ${imagePaths.length} image(s) failed.`);
  }
}
