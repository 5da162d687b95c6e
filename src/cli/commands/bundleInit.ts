/**
 * `flowclas bundle init DIR`: writes manifest.json for a folder of ONNX files. The models'
 * roles, tensors, shapes, external data and variants come from the graphs and probe runs; the
 * rest are the format's defaults, listed with the flag that sets each.
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { draftManifest, modelFilesOf, NOT_STATED } from '../../core/bundle/draftManifest';
import type { ModelRole } from '../../core/bundle/manifestSchema';
import { parseManifest } from '../../core/bundle/parseManifest';
import { DEFAULT_AMG_SETTINGS, type FlowOutputKind } from '../../core/defaults';
import { digestFile, type FileDigest } from '../../node/fileDigest';
import { folderRelative, inferBundle } from '../../node/inferBundle';
import { CliError } from '../failures';
import { formatBytes } from '../../core/runtime/modelMemory';

export interface BundleInitOptions {
  force?: boolean;
  name?: string;
  description?: string;
  domain?: string;
  license?: string;
  backbone?: string;
  flow?: string;
  encoder?: string;
  decoder?: string;
  layout?: 'tokens' | 'map';
  prefixTokens?: number;
  patchSize?: number;
  maxSide?: number;
  stretch?: [number, number];
  outputKind?: FlowOutputKind;
  batchedPrompts?: boolean;
  pointsPerSide?: number;
}

export async function runBundleInit(dir: string, options: BundleInitOptions): Promise<void> {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const folder = resolve(dir);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new CliError(`${dir}: no such folder.`);
  }
  const manifestPath = join(folder, 'manifest.json');
  if (existsSync(manifestPath) && !options.force) {
    throw new CliError(`${manifestPath} already exists; pass --force to overwrite it.`);
  }
  if (options.maxSide && options.stretch) {
    throw new CliError('--max-side and --stretch are two resize policies; choose one.');
  }

  const roles: Partial<Record<ModelRole, string>> = {};
  for (const role of ['backbone', 'flow', 'encoder', 'decoder'] as const) {
    const file = options[role];
    if (file) roles[role] = folderRelative(folder, file);
  }
  const inference = await inferBundle(folder, {
    roles,
    layout: options.layout,
    prefixTokens: options.prefixTokens,
    patchSize: options.patchSize,
    stretch: options.stretch,
    outputKind: options.outputKind,
    batchedPrompts: options.batchedPrompts,
  });

  out(`Inferred from ${folder}:`);
  for (const line of inference.inferred) out(`  ${line}`);
  const { models } = inference;
  if (!models) {
    out();
    out('Could not infer:');
    for (const line of [...inference.problems, ...inference.guessed]) out(`  ${line}`);
    throw new CliError(
      `no manifest written: ${inference.problems[0] ?? 'the folder has no usable models.'}`,
    );
  }

  const files = [...new Set(modelFilesOf(models))];
  // One file at a time: hashing is disk-bound, and files can be gigabytes.
  const digests: Record<string, FileDigest> = {};
  for (const file of files) digests[file] = await digestFile(join(folder, file));
  const settings = {
    name: options.name ?? basename(folder),
    description: options.description,
    domain: options.domain,
    license: options.license,
    maxSide: options.maxSide,
    stretch: options.stretch,
    pointsPerSide: options.pointsPerSide,
  };
  const manifest = draftManifest(models, settings, digests);
  // The schema has the last word (e.g. the flow's channels must equal the backbone's).
  parseManifest(JSON.stringify(manifest), manifestPath);

  const guessed = [...inference.guessed];
  const resize = manifest.backbone.resize;
  if (!options.maxSide && !options.stretch && resize.mode === 'pad') {
    guessed.push(
      "resize: pad to the patch size at the image's own size, no maxSide (--max-side N, or --stretch HxW)",
    );
  } else if (resize.mode === 'stretch' && !options.stretch) {
    guessed.push(
      `resize: stretch to ${resize.size[1]}×${resize.size[0]}, the size the backbone's graph fixes`,
    );
  }
  guessed.push('mean/std: ImageNet statistics, as DINOv2 and SAM 2 use (edit manifest.json)');
  if (!options.name) guessed.push(`name: "${settings.name}", the folder's name (--name TEXT)`);
  if (!options.domain) guessed.push(`domain: "${NOT_STATED}" (--domain TEXT)`);
  if (!options.license) guessed.push(`license: "${NOT_STATED}" (--license TEXT)`);
  if (!options.description) guessed.push('description: empty (--description TEXT)');
  if (manifest.segmenter && !options.pointsPerSide) {
    guessed.push(
      `automatic masks: SAM 2's defaults, ${DEFAULT_AMG_SETTINGS.pointsPerSide} points per side ` +
        '(--points-per-side N)',
    );
  }
  out();
  out('Not inferred (defaults written; the flag sets it):');
  for (const line of guessed) out(`  ${line}`);

  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  const totalBytes = Object.values(digests).reduce((sum, digest) => sum + digest.bytes, 0);
  const modelCount = manifest.segmenter ? 4 : 2;
  out();
  out(
    `Wrote ${manifestPath}: ${modelCount} models, ${files.length} files, ${formatBytes(totalBytes)}.`,
  );
}
