/**
 * The tensors each model must expose (names from the manifest, shapes from the contracts),
 * checked against a session's own metadata before any image is run.
 */
import { BACKBONE_LAYOUT_RULES } from '../anomaly/featureMap';
import { FlowclasError } from '../errors';
import type { BundleManifest } from '../bundle/manifestSchema';
import type { InferenceSession } from './ort';

/** A dimension the contract fixes, or null where the model may use any (symbolic) size. */
export type ExpectedDim = number | null;

export interface TensorExpectation {
  name: string;
  dims: readonly ExpectedDim[];
}

export interface ModelExpectation {
  model: 'backbone' | 'flow' | 'segmenter encoder' | 'segmenter decoder';
  inputs: TensorExpectation[];
  outputs: TensorExpectation[];
}

/** A model whose inputs or outputs differ from what the manifest and contract promise. */
export class ModelContractError extends FlowclasError {
  constructor(
    readonly model: string,
    readonly tensor: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      'model-contract',
      `The ${model} model does not match the bundle manifest: tensor "${tensor}" should be ` +
        `${expected}, but the model has ${actual}.`,
    );
    this.name = 'ModelContractError';
  }
}

function describeDims(dims: readonly (ExpectedDim | string)[]): string {
  return `[${dims.map((dim) => (dim === null ? '?' : String(dim))).join(', ')}]`;
}

/** Contract shapes for every model of a bundle (docs/bundle-format.md, contracts). */
export function expectationsFor(manifest: BundleManifest): ModelExpectation[] {
  const { backbone, flow, segmenter } = manifest;
  const channels = backbone.channels;
  const fixedSize = backbone.resize.mode === 'stretch' ? backbone.resize.size : null;
  const backboneOutput = BACKBONE_LAYOUT_RULES[backbone.layout].outputDims(channels);
  const expectations: ModelExpectation[] = [
    {
      model: 'backbone',
      inputs: [
        { name: backbone.input, dims: [1, 3, fixedSize?.[0] ?? null, fixedSize?.[1] ?? null] },
      ],
      outputs: [{ name: backbone.output, dims: backboneOutput }],
    },
    {
      model: 'flow',
      inputs: [{ name: flow.input, dims: [1, channels, null, null] }],
      outputs: [{ name: flow.output, dims: [1, 1, null, null] }],
    },
  ];
  if (segmenter) {
    const size = segmenter.imageSize;
    const { inputs, outputs } = segmenter.decoder;
    const prompts = segmenter.decoder.batchedPrompts ? null : 1;
    const features: [TensorExpectation, TensorExpectation, TensorExpectation] = [
      { name: '', dims: [1, 32, size / 4, size / 4] },
      { name: '', dims: [1, 64, size / 8, size / 8] },
      { name: '', dims: [1, 256, size / 16, size / 16] },
    ];
    const [feats0, feats1, embed] = features;
    expectations.push(
      {
        model: 'segmenter encoder',
        inputs: [{ name: segmenter.encoder.input, dims: [1, 3, size, size] }],
        outputs: [
          { ...feats0, name: segmenter.encoder.outputs.highResFeats0 },
          { ...feats1, name: segmenter.encoder.outputs.highResFeats1 },
          { ...embed, name: segmenter.encoder.outputs.imageEmbed },
        ],
      },
      {
        model: 'segmenter decoder',
        inputs: [
          { ...embed, name: inputs.imageEmbed },
          { ...feats0, name: inputs.highResFeats0 },
          { ...feats1, name: inputs.highResFeats1 },
          { name: inputs.pointCoords, dims: [prompts, null, 2] },
          { name: inputs.pointLabels, dims: [prompts, null] },
          { name: inputs.maskInput, dims: [prompts, 1, size / 4, size / 4] },
          { name: inputs.hasMaskInput, dims: [1] },
        ],
        outputs: [
          { name: outputs.masks, dims: [prompts, 3, size / 4, size / 4] },
          { name: outputs.iouPredictions, dims: [prompts, 3] },
        ],
      },
    );
  }
  return expectations;
}

function checkTensors(
  model: string,
  role: 'input' | 'output',
  expected: TensorExpectation[],
  metadata: readonly InferenceSession.ValueMetadata[],
): void {
  for (const tensor of expected) {
    const actual = metadata.find((value) => value.name === tensor.name);
    if (!actual) {
      const names = metadata.map((value) => `"${value.name}"`).join(', ');
      throw new ModelContractError(model, tensor.name, `an ${role}`, `${role}s ${names}`);
    }
    if (!actual.isTensor) {
      throw new ModelContractError(model, tensor.name, 'a tensor', 'a non-tensor value');
    }
    if (actual.type !== 'float32') {
      throw new ModelContractError(model, tensor.name, 'float32', actual.type);
    }
    // Some exports carry no shape information; names and types are then all we can check.
    if (actual.shape.length === 0) continue;
    const rankMatches = actual.shape.length === tensor.dims.length;
    const dimsMatch =
      rankMatches &&
      tensor.dims.every((dim, axis) => {
        const actualDim = actual.shape[axis];
        return dim === null || typeof actualDim !== 'number' || actualDim < 0 || actualDim === dim;
      });
    if (!dimsMatch) {
      throw new ModelContractError(
        model,
        tensor.name,
        `shaped ${describeDims(tensor.dims)}`,
        `shape ${describeDims(actual.shape)}`,
      );
    }
  }
}

/** Throws ModelContractError at the first tensor that breaks the expectation. */
export function checkModelContract(session: InferenceSession, expectation: ModelExpectation): void {
  checkTensors(expectation.model, 'input', expectation.inputs, session.inputMetadata);
  checkTensors(expectation.model, 'output', expectation.outputs, session.outputMetadata);
}
