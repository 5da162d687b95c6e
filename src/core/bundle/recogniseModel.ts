/**
 * Which role a model plays in a bundle, told from its graph's inputs and outputs alone (names
 * where the common exports use the contract's names, shapes otherwise), and which of its tensors
 * is which. `bundle init` uses it to write a manifest for a folder of ONNX files.
 */
import type { InferenceSession } from '../runtime/ort';
import type { ModelRole } from './manifestSchema';

/** A graph input or output as onnxruntime describes it (shape entries: size, or a symbolic name). */
export type TensorInfo = Pick<InferenceSession.ValueMetadata, 'name'> & {
  type?: string;
  shape: readonly (number | string)[];
};

export interface ModelInterface {
  inputs: readonly TensorInfo[];
  outputs: readonly TensorInfo[];
}

export interface RecognisedBackbone {
  role: 'backbone';
  input: string;
  output: string;
  layout: 'tokens' | 'map';
  /** Known from the graph when it declares it; else found by a probe run. */
  channels?: number;
  /** [H, W] when the graph fixes its input size (the bundle then stretches images to it). */
  fixedSize?: [number, number];
}

export interface RecognisedFlow {
  role: 'flow';
  input: string;
  output: string;
  channels?: number;
}

export interface RecognisedEncoder {
  role: 'encoder';
  input: string;
  outputs: { highResFeats0: string; highResFeats1: string; imageEmbed: string };
  /** The square input side S (SAM 2: 1024). */
  imageSize: number;
}

export interface RecognisedDecoder {
  role: 'decoder';
  inputs: {
    imageEmbed: string;
    highResFeats0: string;
    highResFeats1: string;
    pointCoords: string;
    pointLabels: string;
    maskInput: string;
    hasMaskInput: string;
  };
  outputs: { masks: string; iouPredictions: string };
  /** false when the graph fixes the prompt batch to 1; undefined when only a run can tell. */
  batchedPrompts?: boolean;
}

export type RecognisedModel =
  RecognisedBackbone | RecognisedFlow | RecognisedEncoder | RecognisedDecoder;

/** Why a model does not fit a role, in words for the user. */
export class RoleMismatch {
  constructor(readonly reason: string) {}
}

const dim = (tensor: TensorInfo | undefined, axis: number): number | undefined => {
  const size = tensor?.shape[axis];
  return typeof size === 'number' && size >= 0 ? size : undefined;
};

/** "[1, 3, H, W]" with symbolic sizes as their names. */
export function describeShape(tensor: TensorInfo): string {
  return `[${tensor.shape.join(', ')}]`;
}

export function describeInterface(model: ModelInterface): string {
  const list = (tensors: readonly TensorInfo[]) =>
    tensors.map((tensor) => `${tensor.name} ${describeShape(tensor)}`).join(', ') || 'none';
  return `inputs ${list(model.inputs)}; outputs ${list(model.outputs)}`;
}

/** An image input [1, 3, H, W] (sizes may be symbolic). */
const isImageInput = (tensor: TensorInfo) =>
  tensor.shape.length === 4 && (dim(tensor, 1) ?? 3) === 3;

function asFlow({ inputs, outputs }: ModelInterface): RecognisedFlow | RoleMismatch {
  const [input] = inputs;
  const [output] = outputs;
  if (inputs.length !== 1 || outputs.length !== 1 || !input || !output) {
    return new RoleMismatch('a flow has one input and one output');
  }
  if (input.shape.length !== 4 || output.shape.length !== 4 || dim(output, 1) !== 1) {
    return new RoleMismatch('a flow maps [1, C, h, w] to [1, 1, h, w]');
  }
  if (dim(input, 1) === 3) {
    return new RoleMismatch('its input has 3 channels, like an image, not features');
  }
  return { role: 'flow', input: input.name, output: output.name, channels: dim(input, 1) };
}

function asBackbone({ inputs, outputs }: ModelInterface): RecognisedBackbone | RoleMismatch {
  const [input] = inputs;
  if (inputs.length !== 1 || !input || !isImageInput(input)) {
    return new RoleMismatch('a backbone has one image input [1, 3, H, W]');
  }
  // Exports of DINOv2 may also emit a pooled output; the token or feature map is what we take.
  const output =
    outputs.find((tensor) => tensor.name === 'last_hidden_state') ??
    outputs.find((tensor) => tensor.shape.length === 3 || tensor.shape.length === 4);
  if (!output || (output.shape.length === 4 && dim(output, 1) === 1)) {
    return new RoleMismatch('a backbone outputs tokens [1, T, C] or a feature map [1, C, h, w]');
  }
  const layout = output.shape.length === 3 ? 'tokens' : 'map';
  const height = dim(input, 2);
  const width = dim(input, 3);
  return {
    role: 'backbone',
    input: input.name,
    output: output.name,
    layout,
    channels: dim(output, layout === 'tokens' ? 2 : 1),
    ...(height && width ? { fixedSize: [height, width] as [number, number] } : {}),
  };
}

/** The tensor named `name`, else the one that `fits` (only when exactly one fits). */
function pick(
  tensors: readonly TensorInfo[],
  name: string,
  fits: (tensor: TensorInfo) => boolean,
): TensorInfo | undefined {
  const named = tensors.find((tensor) => tensor.name === name);
  if (named) return named;
  const fitting = tensors.filter(fits);
  return fitting.length === 1 ? fitting[0] : undefined;
}

const rank4WithChannels = (channels: number) => (tensor: TensorInfo) =>
  tensor.shape.length === 4 && dim(tensor, 1) === channels;

function asEncoder({ inputs, outputs }: ModelInterface): RecognisedEncoder | RoleMismatch {
  const [input] = inputs;
  if (inputs.length !== 1 || !input || !isImageInput(input) || outputs.length < 3) {
    return new RoleMismatch('a SAM 2 encoder has one image input and three feature outputs');
  }
  const highResFeats0 = pick(outputs, 'high_res_feats_0', rank4WithChannels(32));
  const highResFeats1 = pick(outputs, 'high_res_feats_1', rank4WithChannels(64));
  const imageEmbed = pick(outputs, 'image_embed', rank4WithChannels(256));
  if (!highResFeats0 || !highResFeats1 || !imageEmbed) {
    return new RoleMismatch(
      'a SAM 2 encoder outputs high_res_feats_0 [1, 32, S/4, S/4], high_res_feats_1 ' +
        '[1, 64, S/8, S/8] and image_embed [1, 256, S/16, S/16]',
    );
  }
  const embedSide = dim(imageEmbed, 2);
  const imageSize = dim(input, 2) ?? (embedSide ? embedSide * 16 : 1024);
  return {
    role: 'encoder',
    input: input.name,
    outputs: {
      highResFeats0: highResFeats0.name,
      highResFeats1: highResFeats1.name,
      imageEmbed: imageEmbed.name,
    },
    imageSize,
  };
}

function asDecoder({ inputs, outputs }: ModelInterface): RecognisedDecoder | RoleMismatch {
  const found = {
    imageEmbed: pick(inputs, 'image_embed', rank4WithChannels(256)),
    highResFeats0: pick(inputs, 'high_res_feats_0', rank4WithChannels(32)),
    highResFeats1: pick(inputs, 'high_res_feats_1', rank4WithChannels(64)),
    pointCoords: pick(
      inputs,
      'point_coords',
      (tensor) => tensor.shape.length === 3 && dim(tensor, 2) === 2,
    ),
    pointLabels: pick(inputs, 'point_labels', (tensor) => tensor.shape.length === 2),
    maskInput: pick(inputs, 'mask_input', rank4WithChannels(1)),
    hasMaskInput: pick(inputs, 'has_mask_input', (tensor) => tensor.shape.length === 1),
  };
  const masks = pick(outputs, 'masks', (tensor) => tensor.shape.length === 4);
  const iouPredictions = pick(outputs, 'iou_predictions', (tensor) => tensor.shape.length === 2);
  const missing = Object.entries(found)
    .filter(([, tensor]) => !tensor)
    .map(([key]) => key);
  if (missing.length > 0 || !masks || !iouPredictions) {
    return new RoleMismatch(
      'a SAM 2 decoder takes image_embed, high_res_feats_0/1, point_coords, point_labels, ' +
        'mask_input and has_mask_input, and outputs masks and iou_predictions',
    );
  }
  const names = Object.fromEntries(
    Object.entries(found).map(([key, tensor]) => [key, tensor?.name ?? '']),
  ) as RecognisedDecoder['inputs'];
  const known = new Set(Object.values(names));
  const extra = inputs.filter((tensor) => !known.has(tensor.name));
  if (extra.length > 0) {
    return new RoleMismatch(
      `it also takes ${extra.map((tensor) => `"${tensor.name}"`).join(', ')}, which the pipeline does not feed`,
    );
  }
  const promptAxis = dim(found.pointCoords, 0);
  return {
    role: 'decoder',
    inputs: names,
    outputs: { masks: masks.name, iouPredictions: iouPredictions.name },
    ...(promptAxis === 1 ? { batchedPrompts: false } : {}),
  };
}

/** The names of every tensor the pipeline feeds or reads for a recognised model. */
export function pipelineTensors(model: RecognisedModel): string[] {
  switch (model.role) {
    case 'backbone':
    case 'flow':
      return [model.input, model.output];
    case 'encoder':
      return [model.input, ...Object.values(model.outputs)];
    case 'decoder':
      return [...Object.values(model.inputs), ...Object.values(model.outputs)];
  }
}

/** Tensors the pipeline uses that are not float32 (it feeds and reads float32 only). */
export function nonFloat32Tensors(model: ModelInterface, recognised: RecognisedModel): string[] {
  const used = new Set(pipelineTensors(recognised));
  return [...model.inputs, ...model.outputs]
    .filter(
      (tensor) => used.has(tensor.name) && tensor.type !== undefined && tensor.type !== 'float32',
    )
    .map((tensor) => `${tensor.name} (${tensor.type})`);
}

const interpreters: Record<ModelRole, (model: ModelInterface) => RecognisedModel | RoleMismatch> = {
  backbone: asBackbone,
  flow: asFlow,
  encoder: asEncoder,
  decoder: asDecoder,
};

/** The model read as `role`, or why it cannot be. */
export function interpretAs(
  role: ModelRole,
  model: ModelInterface,
): RecognisedModel | RoleMismatch {
  return interpreters[role](model);
}

/**
 * The role the model's interface fits. Decoder and encoder first (their interfaces are the most
 * specific), then flow ([1, C, h, w] → [1, 1, h, w]) before backbone (image in).
 */
export function recogniseModel(model: ModelInterface): RecognisedModel | undefined {
  for (const role of ['decoder', 'encoder', 'flow', 'backbone'] as const) {
    const interpreted = interpretAs(role, model);
    if (!(interpreted instanceof RoleMismatch)) return interpreted;
  }
  return undefined;
}
