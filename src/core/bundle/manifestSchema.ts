/**
 * The bundle manifest (`flowclas-bundle/1`, docs/bundle-format.md) as a zod schema: the single
 * source of truth for its shape, its TypeScript type and its validation messages.
 */
import { z } from 'zod';
import {
  BACKBONE_LAYOUTS,
  COLORMAP_NAMES,
  FLOW_OUTPUT_KINDS,
  WEIGHT_PRECISIONS,
  type AmgSettings,
  type WeightPrecision,
} from '../defaults';
import type { ResizePolicy } from '../image/backboneInputPlan';

const fileName = z
  .string()
  .min(1)
  .refine((name) => !name.startsWith('/') && !name.split('/').includes('..'), {
    message: 'must be a path relative to the manifest (no leading "/", no "..")',
  });

const tensorName = z.string().min(1);
const rgbTriple = z.tuple([z.number(), z.number(), z.number()]);
const positiveInt = z.number().int().positive();

/**
 * Where a model's weights live: its `.onnx` file and, for models past protobuf's 2 GB limit (or
 * split for hosts that cap file sizes), the ONNX external-data files its graph names. Each
 * external-data path is relative to the manifest and, from the model file's folder, equals the
 * `location` written in the graph.
 */
const weightFiles = {
  file: fileName,
  externalData: z.array(fileName).min(1).optional(),
};

/** Other precisions of the same model; the model's own `file` holds the fp32 weights. */
const variants = z
  .strictObject({
    fp16: z.strictObject(weightFiles).optional(),
    int8: z.strictObject(weightFiles).optional(),
  })
  .optional();

const resizePolicy: z.ZodType<ResizePolicy> = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('pad'), maxSide: positiveInt.optional() }),
  z.strictObject({ mode: z.literal('stretch'), size: z.tuple([positiveInt, positiveInt]) }),
]);

const backbone = z
  .strictObject({
    ...weightFiles,
    variants,
    input: tensorName,
    output: tensorName,
    layout: z.enum(BACKBONE_LAYOUTS),
    prefixTokens: z.number().int().nonnegative().optional(),
    patchSize: positiveInt,
    channels: positiveInt,
    resize: resizePolicy,
    mean: rgbTriple,
    std: rgbTriple.refine((std) => std.every((value) => value > 0), {
      message: 'every std value must be positive',
    }),
  })
  .refine((value) => value.layout !== 'tokens' || value.prefixTokens !== undefined, {
    message: 'a "tokens" backbone must say how many prefix tokens (CLS + registers) it emits',
    path: ['prefixTokens'],
  });

const flow = z.strictObject({
  ...weightFiles,
  variants,
  input: tensorName,
  output: tensorName,
  channels: positiveInt,
  outputKind: z.enum(FLOW_OUTPUT_KINDS),
  steps: positiveInt.optional(),
  parameters: positiveInt.optional(),
});

const amg: z.ZodType<AmgSettings> = z.strictObject({
  pointsPerSide: positiveInt,
  pointsPerBatch: positiveInt,
  predIouThresh: z.number().min(0).max(1),
  stabilityScoreThresh: z.number().min(0).max(1),
  stabilityScoreOffset: z.number().nonnegative(),
  maskThreshold: z.number(),
  boxNmsThresh: z.number().min(0).max(1),
  multimask: z.boolean(),
});

const segmenter = z.strictObject({
  kind: z.literal('sam2'),
  imageSize: positiveInt,
  mean: rgbTriple,
  std: rgbTriple,
  encoder: z.strictObject({
    ...weightFiles,
    variants,
    input: tensorName,
    outputs: z.strictObject({
      highResFeats0: tensorName,
      highResFeats1: tensorName,
      imageEmbed: tensorName,
    }),
  }),
  decoder: z.strictObject({
    ...weightFiles,
    variants,
    batchedPrompts: z.boolean(),
    inputs: z.strictObject({
      imageEmbed: tensorName,
      highResFeats0: tensorName,
      highResFeats1: tensorName,
      pointCoords: tensorName,
      pointLabels: tensorName,
      maskInput: tensorName,
      hasMaskInput: tensorName,
    }),
    outputs: z.strictObject({ masks: tensorName, iouPredictions: tensorName }),
  }),
  amg,
});

const fileEntry = z.strictObject({
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'),
});

export const manifestSchema = z
  .strictObject({
    format: z.literal('flowclas-bundle/1'),
    name: z.string().min(1),
    description: z.string(),
    domain: z.string().min(1),
    license: z.string().min(1),
    backbone,
    flow,
    segmenter: segmenter.optional(),
    smoothing: z.strictObject({ bins: positiveInt }),
    display: z.strictObject({
      colormap: z.enum(COLORMAP_NAMES),
      scoreRange: z.tuple([z.number(), z.number()]),
    }),
    files: z.record(fileName, fileEntry),
  })
  .superRefine((manifest, context) => {
    if (manifest.backbone.channels !== manifest.flow.channels) {
      context.addIssue({
        code: 'custom',
        path: ['flow', 'channels'],
        message: `must equal backbone.channels (${manifest.backbone.channels})`,
      });
    }
    for (const [path, file] of referencedFiles(manifest)) {
      if (!(file in manifest.files)) {
        context.addIssue({
          code: 'custom',
          path: ['files'],
          message: `has no entry for "${file}" (named at ${path})`,
        });
      }
    }
  });

export type BundleManifest = z.infer<typeof manifestSchema>;
export type SegmenterManifest = z.infer<typeof segmenter>;

/** The models of a bundle, by the role each plays in the pipeline. */
export const MODEL_ROLES = ['backbone', 'flow', 'encoder', 'decoder'] as const;
export type ModelRole = (typeof MODEL_ROLES)[number];

/** The words a user reads for each role. */
export const MODEL_ROLE_NAMES: Record<ModelRole, string> = {
  backbone: 'backbone',
  flow: 'flow',
  encoder: 'segmenter encoder',
  decoder: 'segmenter decoder',
};

type WeightFiles = z.infer<z.ZodObject<typeof weightFiles>>;
type ModelEntry = WeightFiles & { variants?: Partial<Record<WeightPrecision, WeightFiles>> };

/** The manifest entry of a role, with the field path that names it; undefined without segmenter. */
export function modelEntry(
  manifest: Pick<BundleManifest, 'backbone' | 'flow' | 'segmenter'>,
  role: ModelRole,
): { entry: ModelEntry; path: string } | undefined {
  switch (role) {
    case 'backbone':
      return { entry: manifest.backbone, path: 'backbone' };
    case 'flow':
      return { entry: manifest.flow, path: 'flow' };
    case 'encoder':
      return manifest.segmenter && { entry: manifest.segmenter.encoder, path: 'segmenter.encoder' };
    case 'decoder':
      return manifest.segmenter && { entry: manifest.segmenter.decoder, path: 'segmenter.decoder' };
  }
}

/** The roles a manifest has models for, in pipeline order. */
export function modelRoles(manifest: Pick<BundleManifest, 'segmenter'>): ModelRole[] {
  return manifest.segmenter ? [...MODEL_ROLES] : ['backbone', 'flow'];
}

/** The weight variant of each model in words, e.g. "backbone fp32, flow int8". */
export function describePrecisions(
  precisions: Partial<Record<ModelRole, WeightPrecision>>,
): string {
  return MODEL_ROLES.filter((role) => precisions[role] !== undefined)
    .map((role) => `${MODEL_ROLE_NAMES[role]} ${precisions[role] ?? ''}`)
    .join(', ');
}

/** Every precision a role's model ships in; fp32 (the model's own `file`) always. */
export function availablePrecisions(
  manifest: Pick<BundleManifest, 'backbone' | 'flow' | 'segmenter'>,
  role: ModelRole,
): WeightPrecision[] {
  const variantsOf = modelEntry(manifest, role)?.entry.variants ?? {};
  return WEIGHT_PRECISIONS.filter((precision) => precision === 'fp32' || variantsOf[precision]);
}

/** The files of one precision of a role's model; fp32 when that precision is not shipped. */
export function weightFilesOf(
  manifest: Pick<BundleManifest, 'backbone' | 'flow' | 'segmenter'>,
  role: ModelRole,
  precision: WeightPrecision,
): { precision: WeightPrecision; file: string; externalData: string[] } {
  const found = modelEntry(manifest, role);
  if (!found) throw new Error(`the manifest has no ${MODEL_ROLE_NAMES[role]}`);
  const variant = precision === 'fp32' ? undefined : found.entry.variants?.[precision];
  const chosen = variant ?? found.entry;
  return {
    precision: variant ? precision : 'fp32',
    file: chosen.file,
    externalData: chosen.externalData ?? [],
  };
}

/** Every file the manifest names (all precisions, external data included), with the field naming it. */
export function referencedFiles(
  manifest: Pick<BundleManifest, 'backbone' | 'flow' | 'segmenter'>,
): [string, string][] {
  const files: [string, string][] = [];
  for (const role of modelRoles(manifest)) {
    const found = modelEntry(manifest, role);
    if (!found) continue;
    const weightSets: [string, WeightFiles][] = [[found.path, found.entry]];
    for (const [precision, variant] of Object.entries(found.entry.variants ?? {})) {
      if (variant) weightSets.push([`${found.path}.variants.${precision}`, variant]);
    }
    for (const [path, weights] of weightSets) {
      files.push([`${path}.file`, weights.file]);
      weights.externalData?.forEach((file, index) => {
        files.push([`${path}.externalData[${index}]`, file]);
      });
    }
  }
  return files;
}
