/**
 * `flowclas score`: the full pipeline over a batch of images. A bad image is reported in one
 * line and skipped; the rest of the batch still runs; the exit code says whether all succeeded.
 * Outputs mirror the inputs' tree, appear atomically, and are recorded in the run manifest, so a
 * rerun neither loses nor silently replaces a result (score/runRecords).
 */
import sharp from 'sharp';
import { openLocalBundle, readLocalManifest } from '../../node/loadLocalBundle';
import { describePrecisions } from '../../core/bundle/manifestSchema';
import { choosePrecisions, type PrecisionPreference } from '../../core/runtime/weightPrecision';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeImage } from '../../core/analysis';
import { requireGroundTruthSize } from '../../core/checks';
import { findGroundTruth, type FolderListing } from '../../core/groundTruth';
import { scoreMapToNpy } from '../../core/io/npy';
import { encodeAutomaticMasks } from '../../core/io/rleMaskList';
import {
  createMetricsAccumulator,
  type ComponentSizeLimits,
  type ImageMetrics,
} from '../../core/metrics';
import { scoreMapToRgba } from '../../core/render';
import type { AmgPath } from '../../core/sam2';
import type { LabelMap, ScoreMap } from '../../core/types';
import { decodeImageFile } from '../../node/decodeImage';
import { ortNodeApi } from '../../node/ortNode';
import { CliError, describeFailure } from '../failures';
import { readLabelMap, readScoreMap } from '../inputFiles';
import { writeFileAtomic } from '../score/atomicWrite';
import { collectImages, shardPositions, type Shard } from '../score/imageInputs';
import { outputNames } from '../score/outputNames';
import { createRunLog, type ImageOutcome } from '../score/runLog';
import {
  appendRunRecord,
  planImage,
  readRunRecords,
  recordsFileName,
  sha256Hex,
  type ImagePlan,
  type OutputSettings,
} from '../score/runRecords';
import {
  metricsFileJson,
  metricsFileName,
  metricsToJson,
  saveCounts,
  savedMetricsFileName,
  setComponents,
  type SavedImage,
  type SavedMetrics,
} from '../score/savedMetrics';

export interface ScoreOptions {
  bundle: string;
  out: string;
  gtDir?: string;
  masks: boolean;
  bins?: number;
  thresholds: 'exact' | number;
  amg: AmgPath;
  /** Weight variant; `auto` is fp32 on the CPU. */
  precision: PrecisionPreference;
  pointsPerSide?: number;
  resume: boolean;
  overwrite: boolean;
  shard?: Shard;
  jsonl?: string;
  componentSizes: ComponentSizeLimits;
}

/** Folder listings read once per run, for the ground-truth lookup (core/groundTruth's rule). */
function folderListing(): FolderListing {
  const listings = new Map<string, ReadonlySet<string>>();
  return (folder) => {
    let names = listings.get(folder);
    if (!names) {
      try {
        names = new Set(readdirSync(folder));
      } catch {
        names = new Set();
      }
      listings.set(folder, names);
    }
    return names;
  };
}

const outputFilesOf = (key: string, withMasks: boolean) => ({
  score: `${key}.score.npy`,
  scoreHeatmap: `${key}.score.png`,
  ...(withMasks
    ? {
        refined: `${key}.refined.npy`,
        refinedHeatmap: `${key}.refined.png`,
        masks: `${key}.masks.json`,
      }
    : {}),
});

const metricsSummary = (metrics: ImageMetrics) => ({
  auprc: metrics.auprc,
  fpr95: metrics.fpr95,
  auroc: metrics.auroc,
});

/** One line per conflicting image (a few, then a count), and what the user can do. */
function conflictError(conflicts: { input: string; reason: string }[], out: string): CliError {
  const shown = conflicts.slice(0, 5).map(({ input, reason }) => `  ${input}: ${reason}`);
  if (conflicts.length > 5) shown.push(`  … and ${conflicts.length - 5} more`);
  return new CliError(
    `${out} already holds outputs this run would replace:\n${shown.join('\n')}\n` +
      'Nothing was written. Use another --out, --resume to keep the complete results of the same ' +
      'inputs, or --overwrite to replace them.',
  );
}

export async function runScore(images: string[], options: ScoreOptions): Promise<void> {
  if (options.resume && options.overwrite) {
    throw new CliError('--resume keeps earlier outputs and --overwrite replaces them; give one.');
  }
  const allImages = collectImages(images);
  const names = outputNames(allImages);
  const positions = shardPositions(allImages.length, options.shard);
  const manifest = await readLocalManifest(options.bundle);
  const bundleIdentity = { name: manifest.name, sha256: sha256Hex(JSON.stringify(manifest)) };
  const withMasks = options.masks && !!manifest.segmenter;
  const precisions = choosePrecisions(manifest, {
    provider: 'cpu',
    shaderF16: false,
    preference: options.precision,
  });
  const settings: OutputSettings = {
    masks: withMasks,
    bins: options.bins ?? manifest.smoothing.bins,
    amg: options.amg,
    weights: describePrecisions(precisions),
    pointsPerSide: options.pointsPerSide ?? manifest.segmenter?.amg.pointsPerSide ?? 0,
  };
  const out = options.out;

  const previous = readRunRecords(out);
  const plans = new Map<number, ImagePlan>();
  const conflicts: { input: string; reason: string }[] = [];
  for (const position of positions) {
    const input = allImages[position] as string;
    const key = (names[position] as { key: string }).key;
    const plan = planImage(
      { key, input, outputFiles: Object.values(outputFilesOf(key, withMasks)) },
      { folder: out, previous, bundleSha256: bundleIdentity.sha256, settings, ...options },
    );
    if (plan.action === 'conflict') conflicts.push({ input, reason: plan.reason });
    plans.set(position, plan);
  }
  if (conflicts.length > 0) throw conflictError(conflicts, out);
  mkdirSync(out, { recursive: true });

  const log = createRunLog({
    total: positions.length,
    jsonlPath: options.jsonl,
    // A bar redrawn on the terminal would cut into JSON lines printed to the same terminal.
    terminal: process.stderr.isTTY === true && options.jsonl !== '-',
  });
  const skipping = [...plans.values()].filter((plan) => plan.action === 'skip').length;
  if (options.shard) {
    log.note(
      `shard ${options.shard.index}/${options.shard.count}: ${positions.length} of ${allImages.length} image(s)`,
    );
  }
  if (skipping > 0) log.note(`--resume: ${skipping} image(s) already have complete outputs`);

  // Model by model: at most one model's bytes are held outside onnxruntime.
  const sessions =
    skipping < positions.length
      ? (await openLocalBundle(options.bundle, { precision: options.precision })).sessions
      : undefined;
  const metricsMode =
    options.thresholds === 'exact'
      ? ({ mode: 'exact' } as const)
      : ({ mode: 'binned', bins: options.thresholds } as const);
  const raw = createMetricsAccumulator(metricsMode);
  const refined = createMetricsAccumulator(metricsMode);
  // Binned counts fix the component metrics' threshold; in exact mode they are kept beside.
  const binnedBeside = () =>
    metricsMode.mode === 'exact' ? createMetricsAccumulator({ mode: 'binned' }) : undefined;
  const rawBinned = binnedBeside();
  const refinedBinned = binnedBeside();
  const savedImages: SavedImage[] = [];
  let failed = 0;
  const colouring = { colormap: manifest.display.colormap, range: manifest.display.scoreRange };
  // libvips encodes a 2048 × 1024 heatmap about 3× faster than the core's JavaScript encoder.
  const heatmapPng = async (map: ScoreMap) => {
    const rgba = scoreMapToRgba(map, colouring);
    const raw = { width: map.width, height: map.height, channels: 4 as const };
    const bytes = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
    return new Uint8Array(await sharp(bytes, { raw }).png().toBuffer());
  };
  const recordsFile = recordsFileName(options.shard);

  /** Adds an image's maps to the metrics; returns its per-image values for the log. */
  const evaluate = (
    key: string,
    position: number,
    gtPath: string,
    labels: LabelMap,
    scoreMap: ScoreMap,
    refinedMap?: ScoreMap,
  ) => {
    const files = outputFilesOf(key, withMasks);
    const rawMetrics = raw.add(scoreMap, labels, key);
    const refinedMetrics = refinedMap ? refined.add(refinedMap, labels, key) : undefined;
    rawBinned?.add(scoreMap, labels, key);
    if (refinedMap) refinedBinned?.add(refinedMap, labels, key);
    savedImages.push({
      key,
      position,
      groundTruth: resolve(gtPath),
      scoreFile: files.score,
      ...(refinedMetrics ? { refinedFile: files.refined, refined: refinedMetrics } : {}),
      raw: rawMetrics,
    });
    return {
      raw: metricsSummary(rawMetrics),
      ...(refinedMetrics ? { refined: metricsSummary(refinedMetrics) } : {}),
    };
  };

  const listing = folderListing();
  const maskFolders = options.gtDir ? [resolve(options.gtDir)] : [];
  try {
    for (const position of positions) {
      const input = allImages[position] as string;
      const { key, collision } = names[position] as { key: string; collision?: string };
      const plan = plans.get(position) as ImagePlan;
      const files = outputFilesOf(key, withMasks);
      const warnings = collision ? [collision] : [];
      const gtPath = findGroundTruth(input, listing, maskFolders);
      let outcome: ImageOutcome;
      try {
        if (plan.action === 'skip') {
          // Its maps are on disk: its metrics come from them, as if it had just been scored.
          let metrics: Record<string, unknown> | undefined;
          if (gtPath) {
            const scoreMap = readScoreMap(join(out, files.score));
            const refinedMap = files.refined ? readScoreMap(join(out, files.refined)) : undefined;
            metrics = evaluate(key, position, gtPath, readLabelMap(gtPath), scoreMap, refinedMap);
          }
          outcome = {
            input,
            key,
            status: 'skipped',
            outputs: Object.values(files),
            ...(gtPath ? { groundTruth: gtPath } : {}),
            ...(metrics ? { metrics } : {}),
            warnings,
          };
        } else {
          const bytes = new Uint8Array(readFileSync(input));
          const image = await decodeImageFile(bytes, input);
          const labels = gtPath ? readLabelMap(gtPath) : undefined;
          if (labels && gtPath) {
            requireGroundTruthSize(
              { name: `${gtPath}: ground truth`, width: labels.width, height: labels.height },
              { name: 'the image', width: image.width, height: image.height },
            );
          }
          if (!sessions) throw new Error('no model sessions for an image to score');
          const result = await analyzeImage(ortNodeApi, sessions, manifest, image, {
            withMasks: options.masks,
            bins: options.bins,
            amgPath: options.amg,
            ...(options.pointsPerSide !== undefined
              ? { pointsPerSide: options.pointsPerSide }
              : {}),
          });
          const contents: Record<string, Uint8Array | string> = {
            [files.score]: scoreMapToNpy(result.scoreMap),
            [files.scoreHeatmap]: await heatmapPng(result.scoreMap),
          };
          if (
            files.refined &&
            files.refinedHeatmap &&
            files.masks &&
            result.masks &&
            result.refinedScoreMap
          ) {
            contents[files.refined] = scoreMapToNpy(result.refinedScoreMap);
            contents[files.refinedHeatmap] = await heatmapPng(result.refinedScoreMap);
            contents[files.masks] = encodeAutomaticMasks(result.masks);
          }
          const written: Record<string, number> = {};
          for (const [file, data] of Object.entries(contents)) {
            writeFileAtomic(join(out, file), data);
            written[file] = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
          }
          appendRunRecord(out, recordsFile, {
            key,
            position,
            input,
            bytes: bytes.length,
            sha256: sha256Hex(bytes),
            bundle: bundleIdentity,
            settings,
            outputs: written,
            ...(gtPath ? { groundTruth: resolve(gtPath) } : {}),
            finishedAt: new Date().toISOString(),
          });
          const metrics =
            labels && gtPath
              ? evaluate(
                  key,
                  position,
                  gtPath,
                  labels,
                  result.scoreMap,
                  result.refinedScoreMap ?? undefined,
                )
              : undefined;
          const totalMs = Object.values(result.timings).reduce((sum, ms) => sum + ms, 0);
          outcome = {
            input,
            key,
            status: 'done',
            outputs: Object.keys(written),
            ...(gtPath ? { groundTruth: gtPath } : {}),
            timings: result.timings,
            totalMs,
            ...(result.masks ? { masks: result.masks.length } : {}),
            ...(metrics ? { metrics } : {}),
            warnings,
          };
        }
      } catch (error) {
        failed++;
        outcome = { input, key, status: 'failed', warnings, error: describeFailure(error) };
      }
      log.image(outcome);
    }
  } finally {
    await sessions?.release();
  }

  const rawCounts = (rawBinned ?? raw).binnedCounts();
  const refinedCounts = withMasks ? (refinedBinned ?? refined).binnedCounts() : undefined;
  if (!rawCounts) throw new Error('binned counts missing');
  const state: SavedMetrics = {
    version: 1,
    bundle: bundleIdentity,
    thresholds: options.thresholds,
    refined: withMasks,
    images: savedImages,
    rawCounts: saveCounts(rawCounts),
    ...(refinedCounts ? { refinedCounts: saveCounts(refinedCounts) } : {}),
    componentSizes: options.componentSizes,
  };
  writeFileAtomic(join(out, savedMetricsFileName(options.shard)), metricsToJson(state));
  if (savedImages.length > 0) {
    const metricsPath = join(out, metricsFileName(options.shard));
    writeFileAtomic(
      metricsPath,
      metricsFileJson(
        manifest.name,
        raw.result(),
        withMasks ? refined.result() : undefined,
        setComponents(
          [...savedImages]
            .sort((a, b) => a.position - b.position)
            .map((image) => ({ folder: out, image })),
          { raw: rawCounts, ...(refinedCounts ? { refined: refinedCounts } : {}) },
          options.componentSizes,
        ),
      ),
    );
    log.note(`metrics of ${savedImages.length} image(s) written to ${metricsPath}`);
  }
  log.close();
  if (failed > 0) {
    process.exitCode = 1;
    process.stderr.write(`${failed} of ${positions.length} image(s) failed.\n`);
  }
}
