/** flowclas: the FlowCLAS pipeline's command line (scoring, smoothing, metrics). */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { AMG_POINTS_PER_SIDE_RANGE, DEFAULT_SMOOTHING_BINS } from '../core/defaults';
import { PRECISION_PREFERENCES } from '../core/runtime/weightPrecision';
import { SMIYC_SIZE_LIMITS, type ComponentSizeLimits } from '../core/metrics';
import { AMG_PATHS, DEFAULT_AMG_PATH, type AmgPath } from '../core/sam2';
import { addBundleCommands } from './commands/bundle';
import { runMetrics, type MetricsCommandOptions } from './commands/metrics';
import { runMetricsMerge } from './commands/metricsMerge';
import { runScore } from './commands/score';
import { runSmooth } from './commands/smooth';
import { describeFailure } from './failures';
import { parseShard, type Shard } from './score/imageInputs';

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw new InvalidArgumentError('expected a positive integer.');
  }
  return parsed;
}

function pointsPerSide(value: string): number {
  const { min, max } = AMG_POINTS_PER_SIDE_RANGE;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
  }
  return parsed;
}

function amgPath(value: string): AmgPath {
  const path = AMG_PATHS.find((known) => known === value);
  if (path) return path;
  throw new InvalidArgumentError(
    `expected ${AMG_PATHS.map((known) => `"${known}"`).join(' or ')}.`,
  );
}

function shard(value: string): Shard {
  const parsed = parseShard(value);
  if (parsed) return parsed;
  throw new InvalidArgumentError('expected K/N with 1 ≤ K ≤ N, e.g. 2/4.');
}

function componentSizes(value: string): ComponentSizeLimits {
  const match = /^(\d+),(\d+)$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError('expected two pixel counts, e.g. 500,100.');
  return { minPredictedPixels: Number(match[1]), minGroundTruthPixels: Number(match[2]) };
}

function thresholdMode(value: string): 'exact' | number {
  if (value === 'exact') return 'exact';
  try {
    return positiveInteger(value);
  } catch {
    throw new InvalidArgumentError('expected "exact" or a positive number of bins.');
  }
}

const program = new Command()
  .name('flowclas')
  .description('FlowCLAS anomaly segmentation: score maps, mask-based smoothing and metrics.')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

program
  .command('smooth')
  .description('Mask-based score smoothing (FlowCLAS Algorithm 1) of a float32 [H, W] score map.')
  .requiredOption('--scores <file>', 'score map, .npy float32/float64 [H, W]')
  .requiredOption(
    '--masks <file>',
    '.npy uint8/bool stack [K, H, W] or a JSON list of COCO RLE masks, in processing order',
  )
  .option('--bins <n>', 'histogram bins per mask', positiveInteger, DEFAULT_SMOOTHING_BINS)
  .requiredOption('--out <file>', 'where to write the refined float32 [H, W] .npy')
  .action(runSmooth);

const metricsCommand = program
  .command('metrics')
  .description('Pixel AUPRC, FPR95 and AUROC pooled over all images.')
  // Checked in the action: commander would demand them of the merge subcommand too.
  .option('--scores <files...>', 'score maps (.npy), one per image (required)')
  .option(
    '--gt <files...>',
    'ground truth (.png or .npy; 0 inlier, 1 anomaly, 255 ignore) (required)',
  )
  .option('--thresholds <mode>', '"exact" or a number of sigmoid bins', thresholdMode, 'exact')
  .option('--json', 'print one JSON object instead of a table', false)
  .action((options: Partial<MetricsCommandOptions>) => {
    const { scores, gt } = options;
    if (!scores || !gt) {
      const missing = scores ? '--gt <files...>' : '--scores <files...>';
      return metricsCommand.error(`error: required option '${missing}' not specified`);
    }
    runMetrics({ ...(options as MetricsCommandOptions), scores, gt });
  });

metricsCommand
  .command('merge')
  .description('Pool the metrics of several score output folders (shards) as one run would.')
  .argument('<folders...>', 'output folders of flowclas score runs')
  .option('--out <file>', 'write the merged metrics.json here instead of printing it')
  .action(runMetricsMerge);

program
  .command('score')
  .description(
    'Run the whole pipeline on images: score maps, SAM 2 masks, refined maps, heatmaps and metrics.',
  )
  .argument(
    '<images...>',
    'images (PNG, JPEG, WebP, TIFF, GIF, AVIF) or folders, walked recursively',
  )
  .requiredOption('--bundle <dir|url>', 'model bundle folder, manifest.json path or URL')
  .requiredOption('--out <dir>', 'output folder')
  .option(
    '--gt-dir <dir>',
    'folder searched first for <stem>_gt.png, <stem>_gt.npy, <stem>.png or <stem>.npy ground truth (else found by name near each image, see README)',
  )
  .option('--no-masks', 'skip SAM 2 masks and smoothing')
  .option('--bins <n>', "smoothing bins (default: the bundle's)", positiveInteger)
  .option('--thresholds <mode>', '"exact" or a number of sigmoid bins', thresholdMode, 'exact')
  .option(
    '--amg <path>',
    'automatic-mask stability on the upsampled logits ("exact", as SAM 2) or the low-res ones ("fast")',
    amgPath,
    DEFAULT_AMG_PATH,
  )
  .addOption(
    new Option('--precision <p>', 'weight variant where the bundle ships it (else fp32)')
      .choices([...PRECISION_PREFERENCES])
      .default('auto', 'auto: fp32 on the CPU'),
  )
  .option(
    '--points-per-side <n>',
    "automatic-mask prompt grid side (default: the bundle's); SAM 2's decoder runs once per prompt",
    pointsPerSide,
  )
  .option('--resume', 'skip images whose recorded outputs are complete', false)
  .option('--overwrite', 'replace outputs of other inputs, bundles or settings', false)
  .option('--shard <K/N>', 'score only shard K of N of the sorted images', shard)
  .option('--jsonl <file>', 'write one JSON record per image ("-": standard output)')
  .addOption(
    new Option(
      '--component-sizes <P,G>',
      'component metrics: drop predicted components under P pixels, ignore ground truth under G (for 2048×1024 images; scaled by area)',
    )
      .argParser(componentSizes)
      .default(
        SMIYC_SIZE_LIMITS,
        `${SMIYC_SIZE_LIMITS.minPredictedPixels},${SMIYC_SIZE_LIMITS.minGroundTruthPixels}`,
      ),
  )
  .action(runScore);

addBundleCommands(program);

async function main(): Promise<number> {
  try {
    await program.parseAsync(process.argv);
    // A batch command may have finished its work and still flagged failed items.
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    // Commander has already printed its own one-line message (unknown flag, missing option).
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    process.stderr.write(`flowclas: ${describeFailure(error)}\n`);
    return 1;
  }
}

process.exitCode = await main();
