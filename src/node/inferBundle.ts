/**
 * What a folder of ONNX files is as a bundle: which file plays which role (from the graphs'
 * inputs and outputs, or as the user says), the external-data files each graph points to, the
 * fp16 / int8 siblings of each model, and what probe runs tell (prefix tokens, channels, patch
 * size, output kind, prompt batching). Everything found and everything that could not be is
 * reported as a finding, so `bundle init` can say which flag sets what it had to guess.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { MODEL_ROLE_NAMES, MODEL_ROLES, type ModelRole } from '../core/bundle/manifestSchema';
import {
  describeInterface,
  interpretAs,
  nonFloat32Tensors,
  recogniseModel,
  RoleMismatch,
  type ModelInterface,
  type RecognisedBackbone,
  type RecognisedDecoder,
  type RecognisedEncoder,
  type RecognisedFlow,
  type RecognisedModel,
} from '../core/bundle/recogniseModel';
import type { FoundModel, FoundModels, WeightSet } from '../core/bundle/draftManifest';
import type { FlowOutputKind } from '../core/defaults';
import {
  modelInterface,
  openModelSession,
  probeBackbone,
  probeDecoderBatching,
  probeFlow,
  type BackboneProbe,
} from './modelProbes';
import { readOnnxGraphFacts } from './onnxGraph';

export interface InferOptions {
  /** Files the user assigned to roles (paths relative to the folder). */
  roles: Partial<Record<ModelRole, string>>;
  layout?: 'tokens' | 'map';
  prefixTokens?: number;
  patchSize?: number;
  /** The one input size the backbone takes, when the user says so. */
  stretch?: [number, number];
  outputKind?: FlowOutputKind;
  batchedPrompts?: boolean;
}

export interface BundleInference {
  /** The models as found; absent when a problem stops the manifest. */
  models?: FoundModels;
  /** What was read from the graphs or found by a probe run. */
  inferred: string[];
  /** What was not found and got a default, or was left out; each says which flag sets it. */
  guessed: string[];
  /** What stops a manifest from being written; each says what to do. */
  problems: string[];
}

const variantPattern = /^(.*)\.(fp16|int8)\.onnx$/;

/** Every .onnx file under `folder`, as sorted forward-slash paths relative to it. */
function listModelFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((path) => path.split(sep).join('/'))
    .filter((path) => path.endsWith('.onnx'))
    .sort();
}

interface ScannedFile extends WeightSet {
  model: ModelInterface;
  producers: Map<string, string>;
}

/** A model's interface and external-data files (manifest-relative), its session released. */
async function scanFile(folder: string, file: string): Promise<ScannedFile> {
  const path = join(folder, file);
  const facts = await readOnnxGraphFacts(path);
  const externalData = facts.externalData.map((location) =>
    posix.normalize(posix.join(posix.dirname(file), location)),
  );
  const missing = externalData.filter((data) => !existsSync(join(folder, data)));
  if (missing.length > 0) {
    throw new Error(
      `${file} keeps weights in ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not in the folder`,
    );
  }
  if (externalData.some((data) => data.startsWith('../'))) {
    throw new Error(`${file} keeps weights outside the bundle folder (${externalData.join(', ')})`);
  }
  const session = await openModelSession(path);
  try {
    return { file, externalData, model: modelInterface(session), producers: facts.producers };
  } finally {
    await session.release();
  }
}

/** A few file names in full; a long run of chunks as its first and last and the count. */
const listFiles = (files: string[]) =>
  files.length <= 3 ? files.join(', ') : `${files[0]} … ${files.at(-1)} (${files.length} files)`;

const sameNames = (a: ModelInterface, b: ModelInterface) =>
  JSON.stringify([a.inputs.map((t) => t.name), a.outputs.map((t) => t.name)]) ===
  JSON.stringify([b.inputs.map((t) => t.name), b.outputs.map((t) => t.name)]);

const roleFlags: Record<ModelRole, string> = {
  backbone: '--backbone',
  flow: '--flow',
  encoder: '--encoder',
  decoder: '--decoder',
};

export async function inferBundle(folder: string, options: InferOptions): Promise<BundleInference> {
  const result: BundleInference = { inferred: [], guessed: [], problems: [] };
  let found: Partial<FoundModels> = {};
  const files = listModelFiles(folder);
  /** Roles whose trouble is already reported, so "no such model found" is not said as well. */
  const reported = new Set<ModelRole>();
  for (const [role, file] of Object.entries(options.roles)) {
    if (file && !files.includes(file)) {
      result.problems.push(
        `${roleFlags[role as ModelRole]} ${file}: no such .onnx file in the folder.`,
      );
      reported.add(role as ModelRole);
    }
  }
  const variantsOf = new Map<string, { precision: 'fp16' | 'int8'; file: string }[]>();
  const baseFiles: string[] = [];
  for (const file of files) {
    const match = variantPattern.exec(file);
    const base = match ? `${match[1]}.onnx` : undefined;
    if (base && match && files.includes(base)) {
      const precision = match[2] as 'fp16' | 'int8';
      variantsOf.set(base, [...(variantsOf.get(base) ?? []), { precision, file }]);
    } else {
      baseFiles.push(file);
    }
  }

  // Pass 1: every model's interface, one session at a time; each file gets a role or a reason.
  const candidates = new Map<ModelRole, { scanned: ScannedFile; recognised: RecognisedModel }[]>();
  const forcedFile = new Map(
    Object.entries(options.roles).map(([role, file]) => [file, role as ModelRole]),
  );
  for (const file of baseFiles) {
    let scanned: ScannedFile;
    try {
      scanned = await scanFile(folder, file);
    } catch (error) {
      result.problems.push(error instanceof Error ? error.message : String(error));
      continue;
    }
    const forced = forcedFile.get(file);
    const recognised = forced ? interpretAs(forced, scanned.model) : recogniseModel(scanned.model);
    if (forced && recognised instanceof RoleMismatch) {
      result.problems.push(
        `${file} cannot be the ${MODEL_ROLE_NAMES[forced]}: ${recognised.reason} ` +
          `(it has ${describeInterface(scanned.model)}).`,
      );
      reported.add(forced);
      continue;
    }
    if (!recognised || recognised instanceof RoleMismatch) {
      result.guessed.push(
        `${file}: not recognised as any model (${describeInterface(scanned.model)}); left out. ` +
          `If it is one, name its role with --backbone, --flow, --encoder or --decoder.`,
      );
      continue;
    }
    const forcedElsewhere = options.roles[recognised.role];
    if (forcedElsewhere && forcedElsewhere !== file) {
      result.guessed.push(
        `${file}: looks like a ${MODEL_ROLE_NAMES[recognised.role]}, left out for ` +
          `${roleFlags[recognised.role]} ${forcedElsewhere}.`,
      );
      continue;
    }
    candidates.set(recognised.role, [
      ...(candidates.get(recognised.role) ?? []),
      { scanned, recognised },
    ]);
  }

  const chosen = new Map<ModelRole, { scanned: ScannedFile; recognised: RecognisedModel }>();
  for (const role of MODEL_ROLES) {
    const found = candidates.get(role) ?? [];
    if (found.length > 1) {
      reported.add(role);
      result.problems.push(
        `${found.map((c) => c.scanned.file).join(' and ')} all look like a ${MODEL_ROLE_NAMES[role]}; ` +
          `choose one with ${roleFlags[role]} FILE.`,
      );
    } else if (found[0]) {
      const wrongTypes = nonFloat32Tensors(found[0].scanned.model, found[0].recognised);
      if (wrongTypes.length > 0) {
        reported.add(role);
        result.problems.push(
          `${found[0].scanned.file} (the ${MODEL_ROLE_NAMES[role]}) has ${wrongTypes.join(', ')}; ` +
            'the pipeline feeds and reads float32 (export it with float32 inputs and outputs).',
        );
        continue;
      }
      chosen.set(role, found[0]);
      const how = options.roles[role]
        ? `(${roleFlags[role]})`
        : '(recognised by its inputs and outputs)';
      result.inferred.push(`${MODEL_ROLE_NAMES[role]}: ${found[0].scanned.file} ${how}`);
    }
  }
  for (const role of ['backbone', 'flow'] as const) {
    if (!chosen.has(role) && !reported.has(role)) {
      const shape =
        role === 'backbone'
          ? 'an image input [1, 3, H, W] and tokens [1, T, C] or a map [1, C, h, w] out'
          : 'features [1, C, h, w] in and [1, 1, h, w] out';
      result.problems.push(
        `No ${role} found among the .onnx files (looked for ${shape}); name it with ${roleFlags[role]} FILE.`,
      );
    }
  }
  if (chosen.has('encoder') !== chosen.has('decoder')) {
    const missing = chosen.has('encoder') ? 'decoder' : 'encoder';
    result.problems.push(
      `A SAM 2 ${chosen.has('encoder') ? 'encoder' : 'decoder'} was found but no ${missing}; ` +
        `name it with ${roleFlags[missing]} FILE (or remove the other to go without masks).`,
    );
  }

  // Variants: same tensor names as their fp32 model, or left out.
  const variantsFor = async (base: ScannedFile) => {
    const variants: FoundModel<RecognisedModel>['variants'] = {};
    for (const { precision, file } of variantsOf.get(base.file) ?? []) {
      try {
        const scanned = await scanFile(folder, file);
        if (!sameNames(scanned.model, base.model)) {
          result.guessed.push(
            `${file}: left out; its tensors (${describeInterface(scanned.model)}) are not named ` +
              `as ${base.file}'s.`,
          );
          continue;
        }
        variants[precision] = { file, externalData: scanned.externalData };
        const data = scanned.externalData;
        result.inferred.push(
          `${precision} variant of ${base.file}: ${file}` +
            (data.length > 0 ? ` with external data ${listFiles(data)}` : ''),
        );
      } catch (error) {
        result.problems.push(error instanceof Error ? error.message : String(error));
      }
    }
    return variants;
  };
  const modelOf = async <R extends RecognisedModel>(
    role: ModelRole,
  ): Promise<FoundModel<R> | undefined> => {
    const found = chosen.get(role);
    if (!found) return undefined;
    const { scanned } = found;
    if (scanned.externalData.length > 0) {
      result.inferred.push(`external data of ${scanned.file}: ${listFiles(scanned.externalData)}`);
    }
    return {
      file: scanned.file,
      externalData: scanned.externalData,
      recognised: found.recognised as R,
      variants: await variantsFor(scanned),
    };
  };

  // Pass 2: probe runs on the chosen models, again one session at a time.
  const backbone = await modelOf<RecognisedBackbone>('backbone');
  if (backbone) {
    const probed = await withSession(folder, backbone.file, result, (session) =>
      probeBackbone(
        session,
        backbone.recognised,
        options.patchSize,
        options.stretch ?? backbone.recognised.fixedSize,
      ),
    );
    if (probed) {
      found.backbone = { ...backbone, ...describeBackbone(backbone, probed, options, result) };
    }
  }
  const flow = await modelOf<RecognisedFlow>('flow');
  const channels = found.backbone?.channels ?? flow?.recognised.channels;
  const flowChannels = flow?.recognised.channels;
  if (flow && flowChannels && channels !== flowChannels) {
    result.problems.push(
      `${flow.file} takes ${flowChannels}-channel features but the backbone gives ${channels}: ` +
        'they are not a pair.',
    );
  } else if (flow && channels) {
    const probed = await withSession(folder, flow.file, result, (session) =>
      probeFlow(session, flow.recognised, channels),
    );
    if (probed) {
      const outputKind = flowOutputKind(flow, probed.hasNegative, chosen, options, result);
      found.flow = { ...flow, channels, outputKind };
      result.inferred.push(
        `flow: ${flow.recognised.input} [1, ${channels}, h, w] → ${flow.recognised.output} ` +
          `(probe gave [${probed.dims.join(', ')}])`,
      );
    }
  }
  const encoder = await modelOf<RecognisedEncoder>('encoder');
  const decoder = await modelOf<RecognisedDecoder>('decoder');
  if (encoder && decoder) {
    result.inferred.push(`segmenter image size: ${encoder.recognised.imageSize}`);
    const imageSize = encoder.recognised.imageSize;
    let batchedPrompts = options.batchedPrompts ?? decoder.recognised.batchedPrompts ?? true;
    if (options.batchedPrompts !== undefined) {
      result.inferred.push(
        `decoder batched prompts: ${batchedPrompts ? 'yes' : 'no'} (--batched-prompts)`,
      );
    } else if (decoder.recognised.batchedPrompts === false) {
      result.inferred.push('decoder batched prompts: no (its graph fixes the prompt batch to 1)');
    } else {
      const probed = await withSession(folder, decoder.file, result, (session) =>
        probeDecoderBatching(session, decoder.recognised, imageSize),
      );
      batchedPrompts = probed?.batched ?? false;
      result.inferred.push(
        `decoder batched prompts: ${batchedPrompts ? 'yes' : 'no'} (${probed?.reason ?? 'no probe'})`,
      );
    }
    found = { ...found, segmenter: { encoder, decoder: { ...decoder, batchedPrompts } } };
  }
  const { backbone: foundBackbone, flow: foundFlow } = found;
  if (result.problems.length === 0 && foundBackbone && foundFlow) {
    result.models = { ...found, backbone: foundBackbone, flow: foundFlow };
  }
  return result;
}

async function withSession<T>(
  folder: string,
  file: string,
  result: BundleInference,
  probe: (session: Awaited<ReturnType<typeof openModelSession>>) => Promise<T>,
): Promise<T | undefined> {
  const session = await openModelSession(join(folder, file));
  try {
    return await probe(session);
  } catch (error) {
    result.problems.push(error instanceof Error ? error.message : String(error));
    return undefined;
  } finally {
    await session.release();
  }
}

function describeBackbone(
  backbone: FoundModel<RecognisedBackbone>,
  probed: BackboneProbe,
  options: InferOptions,
  result: BundleInference,
): { layout: 'tokens' | 'map'; channels: number; patchSize: number; prefixTokens?: number } {
  const runs = probed.runs
    .map((run) => `[${run.dims.join(', ')}] at ${run.size[1]}×${run.size[0]}`)
    .join(', ');
  const layout = options.layout ?? probed.layout;
  result.inferred.push(
    `backbone: ${backbone.recognised.input} → ${backbone.recognised.output}, layout ${layout}` +
      `${options.layout ? ' (--layout)' : ''}, ${probed.channels} channels (probe gave ${runs})`,
  );
  const patchNote = {
    probed: '(probed)',
    given: '(--patch-size)',
    default: "(DINOv2's; not checked beyond the token counts: set with --patch-size)",
  }[probed.patchSizeSource];
  result.inferred.push(`backbone patch size: ${probed.patchSize} ${patchNote}`);
  if (layout !== 'tokens')
    return { layout, channels: probed.channels, patchSize: probed.patchSize };
  const prefixTokens = options.prefixTokens ?? probed.prefixTokens;
  if (options.prefixTokens !== undefined) {
    result.inferred.push(`backbone prefix tokens: ${prefixTokens} (--prefix-tokens)`);
  } else {
    result.inferred.push(
      `backbone prefix tokens: ${prefixTokens} (tokens − h·w at every probe size${prefixTokens === 1 ? ': CLS' : prefixTokens && prefixTokens > 1 ? `: CLS + ${prefixTokens - 1} registers` : ''})`,
    );
  }
  return { layout, channels: probed.channels, patchSize: probed.patchSize, prefixTokens };
}

function flowOutputKind(
  flow: FoundModel<RecognisedFlow>,
  hasNegative: boolean,
  chosen: Map<ModelRole, { scanned: ScannedFile }>,
  options: InferOptions,
  result: BundleInference,
): FlowOutputKind {
  if (options.outputKind) {
    result.inferred.push(`flow output kind: ${options.outputKind} (--output-kind)`);
    return options.outputKind;
  }
  if (hasNegative) {
    result.inferred.push('flow output kind: log-likelihood (the probe output has negative values)');
    return 'log-likelihood';
  }
  const producer = chosen.get('flow')?.scanned.producers.get(flow.recognised.output);
  if (producer === 'Exp') {
    result.inferred.push('flow output kind: likelihood (the graph ends in Exp)');
    return 'likelihood';
  }
  result.guessed.push(
    'flow output kind: likelihood assumed (the graph does not end in Exp and the probe output ' +
      'was not negative); set it with --output-kind likelihood|log-likelihood.',
  );
  return 'likelihood';
}

/** The folder-relative form of a path the user gave, as the manifest writes it. */
export function folderRelative(folder: string, path: string): string {
  const inside = existsSync(join(folder, path)) ? path : relative(folder, path);
  return inside.split(sep).join('/');
}
