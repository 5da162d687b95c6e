/**
 * A manifest for models whose roles, tensors and shapes are known (`bundle init`): the facts
 * as found, everything else from the bundle format's defaults. The result still goes through
 * the schema before it is written.
 */
import {
  DEFAULT_AMG_SETTINGS,
  DEFAULT_DISPLAY,
  DEFAULT_SMOOTHING_BINS,
  IMAGENET_MEAN,
  IMAGENET_STD,
  type FlowOutputKind,
  type WeightPrecision,
} from '../defaults';
import type { ResizePolicy } from '../image';
import type { BundleManifest } from './manifestSchema';
import type {
  RecognisedBackbone,
  RecognisedDecoder,
  RecognisedEncoder,
  RecognisedFlow,
} from './recogniseModel';

/** A model file and the external-data files its weights live in (manifest-relative). */
export interface WeightSet {
  file: string;
  externalData: string[];
}

export interface FoundModel<R> extends WeightSet {
  recognised: R;
  variants: Partial<Record<Exclude<WeightPrecision, 'fp32'>, WeightSet>>;
}

export interface FoundModels {
  backbone: FoundModel<RecognisedBackbone> & {
    layout: 'tokens' | 'map';
    channels: number;
    patchSize: number;
    prefixTokens?: number;
  };
  flow: FoundModel<RecognisedFlow> & { channels: number; outputKind: FlowOutputKind };
  segmenter?: {
    encoder: FoundModel<RecognisedEncoder>;
    decoder: FoundModel<RecognisedDecoder> & { batchedPrompts: boolean };
  };
}

/** What the user says (or the defaults say) about things no graph tells. */
export interface DraftSettings {
  name: string;
  description?: string;
  domain?: string;
  license?: string;
  /** `pad` resizing: the longer side is brought down to this. */
  maxSide?: number;
  /** `stretch` resizing to [H, W]; the backbone's own size when its graph fixes one. */
  stretch?: [number, number];
  pointsPerSide?: number;
}

/** Written where a field must not be empty and nothing says what belongs there. */
export const NOT_STATED = 'not stated';

function weightFields({ file, externalData, variants }: FoundModel<unknown>) {
  const shipped = Object.entries(variants).filter(
    (entry): entry is [string, WeightSet] => entry[1] !== undefined,
  );
  return {
    file,
    ...(externalData.length > 0 ? { externalData } : {}),
    ...(shipped.length > 0
      ? {
          variants: Object.fromEntries(
            shipped.map(([precision, set]) => [
              precision,
              {
                file: set.file,
                ...(set.externalData.length > 0 ? { externalData: set.externalData } : {}),
              },
            ]),
          ),
        }
      : {}),
  };
}

/** Every file the models name, in pipeline order: model, its external data, then variants. */
export function modelFilesOf(models: FoundModels): string[] {
  const all = [models.backbone, models.flow, models.segmenter?.encoder, models.segmenter?.decoder];
  return all.flatMap((model) =>
    model
      ? [model, ...Object.values(model.variants)].flatMap((set) =>
          set ? [set.file, ...set.externalData] : [],
        )
      : [],
  );
}

export function resizePolicyFor(models: FoundModels, settings: DraftSettings): ResizePolicy {
  const size = settings.stretch ?? models.backbone.recognised.fixedSize;
  if (size) return { mode: 'stretch', size };
  return settings.maxSide ? { mode: 'pad', maxSide: settings.maxSide } : { mode: 'pad' };
}

export function draftManifest(
  models: FoundModels,
  settings: DraftSettings,
  files: BundleManifest['files'],
): BundleManifest {
  const { backbone, flow, segmenter } = models;
  const mean: [number, number, number] = [...IMAGENET_MEAN];
  const std: [number, number, number] = [...IMAGENET_STD];
  return {
    format: 'flowclas-bundle/1',
    name: settings.name,
    description: settings.description ?? '',
    domain: settings.domain ?? NOT_STATED,
    license: settings.license ?? NOT_STATED,
    backbone: {
      ...weightFields(backbone),
      input: backbone.recognised.input,
      output: backbone.recognised.output,
      layout: backbone.layout,
      ...(backbone.layout === 'tokens' ? { prefixTokens: backbone.prefixTokens } : {}),
      patchSize: backbone.patchSize,
      channels: backbone.channels,
      resize: resizePolicyFor(models, settings),
      mean,
      std,
    },
    flow: {
      ...weightFields(flow),
      input: flow.recognised.input,
      output: flow.recognised.output,
      channels: flow.channels,
      outputKind: flow.outputKind,
    },
    ...(segmenter
      ? {
          segmenter: {
            kind: 'sam2' as const,
            imageSize: segmenter.encoder.recognised.imageSize,
            mean,
            std,
            encoder: {
              ...weightFields(segmenter.encoder),
              input: segmenter.encoder.recognised.input,
              outputs: segmenter.encoder.recognised.outputs,
            },
            decoder: {
              ...weightFields(segmenter.decoder),
              batchedPrompts: segmenter.decoder.batchedPrompts,
              inputs: segmenter.decoder.recognised.inputs,
              outputs: segmenter.decoder.recognised.outputs,
            },
            amg: {
              ...DEFAULT_AMG_SETTINGS,
              ...(settings.pointsPerSide ? { pointsPerSide: settings.pointsPerSide } : {}),
              // A decoder that takes one prompt at a time gets batches of one.
              ...(segmenter.decoder.batchedPrompts ? {} : { pointsPerBatch: 1 }),
            },
          },
        }
      : {}),
    smoothing: { bins: DEFAULT_SMOOTHING_BINS },
    display: { colormap: DEFAULT_DISPLAY.colormap, scoreRange: [...DEFAULT_DISPLAY.scoreRange] },
    files,
  };
}
