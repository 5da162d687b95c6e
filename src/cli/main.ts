/** flowclas: the FlowCLAS pipeline's command line (scoring, smoothing, metrics). */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { AMG_PATHS, DEFAULT_AMG_PATH, type AmgPath } from '../core/sam2';
import { addBundleCommands } from './commands/bundle';
import { runMetrics } from './commands/metrics';
import { runScore } from './commands/score';
import { runSmooth } from './commands/smooth';
import { describeFailure } from './failures';

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw new InvalidArgumentError('expected a positive integer.');
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
  .option('--bins <n>', 'histogram bins per mask', positiveInteger, 20)
  .requiredOption('--out <file>', 'where to write the refined float32 [H, W] .npy')
  .action(runSmooth);

program
  .command('metrics')
  .description('Pixel AUPRC, FPR95 and AUROC pooled over all images.')
  .requiredOption('--scores <files...>', 'score maps (.npy), one per image')
  .requiredOption('--gt <files...>', 'ground truth (.png or .npy; 0 inlier, 1 anomaly, 255 ignore)')
  .option('--thresholds <mode>', '"exact" or a number of sigmoid bins', thresholdMode, 'exact')
  .option('--json', 'print one JSON object instead of a table', false)
  .action(runMetrics);

program
  .command('score')
  .description(
    'Run the whole pipeline on images: score maps, SAM 2 masks, refined maps, heatmaps and metrics.',
  )
  .argument('<images...>', 'PNG or JPEG images, or folders of them')
  .requiredOption('--bundle <dir|url>', 'model bundle folder, manifest.json path or URL')
  .requiredOption('--out <dir>', 'output folder')
  .option('--gt-dir <dir>', 'folder with <stem>_gt.png ground truth (default: beside each image)')
  .option('--no-masks', 'skip SAM 2 masks and smoothing')
  .option('--bins <n>', "smoothing bins (default: the bundle's)", positiveInteger)
  .option('--thresholds <mode>', '"exact" or a number of sigmoid bins', thresholdMode, 'exact')
  .option(
    '--amg <path>',
    'automatic-mask stability on the upsampled logits ("exact", as SAM 2) or the low-res ones ("fast")',
    amgPath,
    DEFAULT_AMG_PATH,
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
