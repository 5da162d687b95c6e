/**
 * The bundle manifest (`flowclas-bundle/1`, docs/bundle-format.md) as a zod schema: the single
 * source of truth for its shape, its TypeScript type and its validation messages.
 */
import { z } from 'zod';

const fileName = z
  .string()
  .min(1)
  .refine((name) => !name.startsWith('/') && !name.split('/').includes('..'), {
    message: 'must be a path relative to the manifest (no leading "/", no "..")',
  });

const tensorName = z.string().min(1);
const rgbTriple = z.tuple([z.number(), z.number(), z.number()]);
const positiveInt = z.number().int().positive();

const resizePolicy = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('pad'), maxSide: positiveInt.optional() }),
  z.strictObject({ mode: z.literal('stretch'), size: z.tuple([positiveInt, positiveInt]) }),
]);

const backbone = z
  .strictObject({
    file: fileName,
    input: tensorName,
    output: tensorName,
    layout: z.enum(['tokens', 'map']),
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
  file: fileName,
  input: tensorName,
  output: tensorName,
  channels: positiveInt,
  outputKind: z.enum(['likelihood', 'log-likelihood']),
  steps: positiveInt.optional(),
  parameters: positiveInt.optional(),
});

const amg = z.strictObject({
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
    file: fileName,
    input: tensorName,
    outputs: z.strictObject({
      highResFeats0: tensorName,
      highResFeats1: tensorName,
      imageEmbed: tensorName,
    }),
  }),
  decoder: z.strictObject({
    file: fileName,
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

export const colormapNames = ['inferno', 'viridis', 'magma', 'turbo', 'grey'] as const;

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
      colormap: z.enum(colormapNames),
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
export type ResizePolicy = z.infer<typeof resizePolicy>;
export type AmgSettings = z.infer<typeof amg>;
export type SegmenterManifest = z.infer<typeof segmenter>;

/** Every model file the manifest names, with the field that names it. */
export function referencedFiles(
  manifest: Pick<BundleManifest, 'backbone' | 'flow' | 'segmenter'>,
): [string, string][] {
  const files: [string, string][] = [
    ['backbone.file', manifest.backbone.file],
    ['flow.file', manifest.flow.file],
  ];
  if (manifest.segmenter) {
    files.push(['segmenter.encoder.file', manifest.segmenter.encoder.file]);
    files.push(['segmenter.decoder.file', manifest.segmenter.decoder.file]);
  }
  return files;
}
