/** `flowclas bundle init` and `flowclas bundle check`: writing and verifying model bundles. */
import { InvalidArgumentError, type Command } from 'commander';
import { BACKBONE_LAYOUTS, FLOW_OUTPUT_KINDS } from '../../core/defaults';
import { runBundleCheck } from './bundleCheck';
import { runBundleInit } from './bundleInit';

function wholeNumber(min: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min) {
      throw new InvalidArgumentError(`expected a whole number ≥ ${min}.`);
    }
    return parsed;
  };
}

function oneOf<T extends string>(choices: readonly T[]) {
  return (value: string): T => {
    const found = choices.find((choice) => choice === value);
    if (found) return found;
    throw new InvalidArgumentError(`expected ${choices.map((c) => `"${c}"`).join(' or ')}.`);
  };
}

/** "HxW" (e.g. 448x896) → [H, W]. */
function heightByWidth(value: string): [number, number] {
  const match = /^(\d+)x(\d+)$/.exec(value);
  const height = Number(match?.[1]);
  const width = Number(match?.[2]);
  if (!match || height < 1 || width < 1) {
    throw new InvalidArgumentError('expected HEIGHTxWIDTH, e.g. 448x896.');
  }
  return [height, width];
}

function yesNo(value: string): boolean {
  if (value === 'yes' || value === 'no') return value === 'yes';
  throw new InvalidArgumentError('expected "yes" or "no".');
}

export function addBundleCommands(program: Command): void {
  const bundle = program
    .command('bundle')
    .description('Write a manifest for a folder of ONNX models, or verify a bundle.');

  bundle
    .command('init')
    .description(
      'Write manifest.json for a folder of ONNX files: roles, tensor names, shapes, external data ' +
        'and fp16/int8 variants from the graphs and probe runs, sizes and SHA-256, defaults for the rest.',
    )
    .argument('<dir>', 'folder with the .onnx files')
    .option('--force', 'overwrite an existing manifest.json', false)
    .option('--name <text>', "bundle name (default: the folder's name)")
    .option('--description <text>', 'one line about the models')
    .option('--domain <text>', 'what the models were trained on (shown to users)')
    .option('--license <text>', 'licence and attribution of the weights')
    .option('--backbone <file>', 'the backbone .onnx (when it is not recognised)')
    .option('--flow <file>', 'the flow .onnx (when it is not recognised)')
    .option('--encoder <file>', 'the SAM 2 encoder .onnx (when it is not recognised)')
    .option('--decoder <file>', 'the SAM 2 decoder .onnx (when it is not recognised)')
    .option('--layout <layout>', 'backbone output layout: tokens or map', oneOf(BACKBONE_LAYOUTS))
    .option(
      '--prefix-tokens <n>',
      'tokens before the patch tokens (CLS + registers)',
      wholeNumber(0),
    )
    .option('--patch-size <n>', 'backbone patch size (default: probed, else 14)', wholeNumber(1))
    .option('--max-side <n>', "bring the image's longer side down to this", wholeNumber(1))
    .option('--stretch <HxW>', 'stretch every image to this backbone input size', heightByWidth)
    .option(
      '--output-kind <kind>',
      'flow output: likelihood (q = exp l) or log-likelihood (l)',
      oneOf(FLOW_OUTPUT_KINDS),
    )
    .option('--batched-prompts <yes|no>', 'whether the decoder takes many prompts per run', yesNo)
    .option('--points-per-side <n>', 'automatic-mask prompt grid', wholeNumber(1))
    .action(runBundleInit);

  bundle
    .command('check')
    .description(
      'Verify a bundle: manifest, sizes and SHA-256 of every file, and one probe image through ' +
        'every model and variant against the contracts.',
    )
    .argument('<dir|url>', 'bundle folder, manifest.json path or URL')
    .action(runBundleCheck);
}
