/**
 * One probe image through every model of a bundle, one model at a time, with the pipeline's own
 * input preparation and output handling, checking each output's shape against what the manifest
 * and the contracts promise for exactly that input. The session metadata check
 * (checkModelContract) cannot see a wrong prefix-token count, patch size or prompt batching:
 * those only show in a run's output.
 *
 * Models are probed in pipeline order; each fp32 run feeds the next model (backbone → flow,
 * encoder → decoder), and every variant of a model gets the same inputs as its fp32 model, so
 * its outputs can be compared with fp32's.
 */
import {
  backboneOutputToFeatureMap,
  flowOutputToLikelihoodGrid,
  likelihoodGridToScoreMap,
  type FeatureMap,
} from '../anomaly';
import { MODEL_ROLE_NAMES, type BundleManifest, type ModelRole } from '../bundle/manifestSchema';
import { FlowclasError } from '../errors';
import {
  backboneInputTensor,
  planBackboneInput,
  segmenterInputTensor,
  type BackboneInputPlan,
  type ModelTensor,
  type Rgb8Image,
} from '../image';
import { buildPointGrid, decoderPromptFeeds, emptyMaskFeeds, planPromptBatches } from '../sam2';
import { ModelContractError } from './modelContract';
import type { InferenceSession, OrtApi, Tensor } from './ort';

/** A small deterministic RGB image with structure on every axis (gradients and a checker). */
export function probeImage(width = 61, height = 47): Rgb8Image {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = Math.round((255 * x) / (width - 1));
      data[i + 1] = Math.round((255 * y) / (height - 1));
      data[i + 2] = ((x >> 3) + (y >> 3)) % 2 === 0 ? 200 : 40;
    }
  }
  return { width, height, data };
}

/** A model that onnxruntime could not run on the probe inputs (its message names the tensor). */
export class ProbeRunError extends FlowclasError {
  constructor(model: string, input: string, reason: string) {
    super('model-probe-run', `The ${model} model failed on the probe run (${input}): ${reason}`);
    this.name = 'ProbeRunError';
  }
}

export interface ProbeResult {
  /** The output compared across precisions, and its values. */
  output: string;
  dims: number[];
  data: Float32Array;
}

const describeDims = (dims: readonly number[]) => `[${dims.join(', ')}]`;

const sameDims = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);

export class ContractProbe {
  private readonly plan: BackboneInputPlan;
  private features?: FeatureMap;
  private encoded?: Map<string, ModelTensor>;

  constructor(
    private readonly ort: OrtApi,
    private readonly manifest: BundleManifest,
    private readonly image: Rgb8Image = probeImage(),
  ) {
    const { backbone } = manifest;
    this.plan = planBackboneInput(image.width, image.height, backbone.resize, backbone.patchSize);
  }

  /**
   * Runs `session` as the model of `role` on the probe inputs and checks every output it must
   * give. `label` names the model in errors (e.g. "backbone (fp16, backbone.fp16.onnx)").
   * A role's fp32 model must be probed before its variants and before the next role.
   */
  async run(role: ModelRole, session: InferenceSession, label: string): Promise<ProbeResult> {
    switch (role) {
      case 'backbone':
        return this.runBackbone(session, label);
      case 'flow':
        return this.runFlow(session, label);
      case 'encoder':
        return this.runEncoder(session, label);
      case 'decoder':
        return this.runDecoder(session, label);
    }
  }

  private tensor(data: ModelTensor): Tensor {
    return new this.ort.Tensor('float32', data.data as Float32Array, data.dims);
  }

  /** Runs the model and returns the named outputs, each checked against its expected dims. */
  private async runChecked(
    session: InferenceSession,
    label: string,
    feeds: Record<string, Tensor>,
    expected: [name: string, dims: number[]][],
    input: string,
  ): Promise<Map<string, ModelTensor>> {
    let outputs: InferenceSession.ReturnType;
    try {
      outputs = await session.run(feeds);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ProbeRunError(label, input, reason.split('\n')[0] ?? reason);
    }
    const results = new Map<string, ModelTensor>();
    for (const [name, dims] of expected) {
      const tensor = outputs[name];
      if (!tensor) {
        throw new ModelContractError(label, name, `an output of the probe run on ${input}`, 'none');
      }
      const actual = [...tensor.dims];
      if (!sameDims(actual, dims)) {
        throw new ModelContractError(
          label,
          name,
          `shaped ${describeDims(dims)} for ${input}`,
          `output ${describeDims(actual)}`,
        );
      }
      const data = (await tensor.getData(true)) as Float32Array;
      results.set(name, { data, dims: actual });
    }
    for (const tensor of Object.values(outputs)) tensor.dispose();
    return results;
  }

  private result(outputs: Map<string, ModelTensor>, name: string): ProbeResult {
    const tensor = outputs.get(name);
    if (!tensor) throw new Error(`probe output "${name}" missing`);
    return { output: name, dims: [...tensor.dims], data: tensor.data as Float32Array };
  }

  private async runBackbone(session: InferenceSession, label: string): Promise<ProbeResult> {
    const { backbone } = this.manifest;
    const { grid, padded } = this.plan;
    const input = backboneInputTensor(this.image, this.plan, {
      mean: backbone.mean,
      std: backbone.std,
    });
    const patches = grid.height * grid.width;
    const dims =
      backbone.layout === 'tokens'
        ? [1, (backbone.prefixTokens ?? 0) + patches, backbone.channels]
        : [1, backbone.channels, grid.height, grid.width];
    const what =
      `a ${padded.width}×${padded.height} input (${grid.width}×${grid.height} patches of ` +
      `${backbone.patchSize}` +
      (backbone.layout === 'tokens' ? `, ${backbone.prefixTokens ?? 0} prefix tokens)` : ')');
    const outputs = await this.runChecked(
      session,
      label,
      { [backbone.input]: this.tensor(input) },
      [[backbone.output, dims]],
      what,
    );
    const result = this.result(outputs, backbone.output);
    this.features ??= backboneOutputToFeatureMap(result, grid, backbone);
    return result;
  }

  private async runFlow(session: InferenceSession, label: string): Promise<ProbeResult> {
    const { flow } = this.manifest;
    const features = this.features;
    if (!features) throw new Error('the backbone is probed before the flow');
    const { channels, height, width } = features;
    const outputs = await this.runChecked(
      session,
      label,
      { [flow.input]: this.tensor({ data: features.data, dims: [1, channels, height, width] }) },
      [[flow.output, [1, 1, height, width]]],
      `features [1, ${channels}, ${height}, ${width}]`,
    );
    const result = this.result(outputs, flow.output);
    // The score map as the app computes it; non-finite likelihoods are reported there.
    likelihoodGridToScoreMap(
      flowOutputToLikelihoodGrid(result, this.plan.grid, flow.outputKind),
      this.plan,
    );
    return result;
  }

  private async runEncoder(session: InferenceSession, label: string): Promise<ProbeResult> {
    const segmenter = this.requireSegmenter();
    const size = segmenter.imageSize;
    const input = segmenterInputTensor(this.image, size, {
      mean: segmenter.mean,
      std: segmenter.std,
    });
    const names = segmenter.encoder.outputs;
    const outputs = await this.runChecked(
      session,
      label,
      { [segmenter.encoder.input]: this.tensor(input) },
      [
        [names.highResFeats0, [1, 32, size / 4, size / 4]],
        [names.highResFeats1, [1, 64, size / 8, size / 8]],
        [names.imageEmbed, [1, 256, size / 16, size / 16]],
      ],
      `a ${size}×${size} image`,
    );
    this.encoded ??= outputs;
    return this.result(outputs, names.imageEmbed);
  }

  private async runDecoder(session: InferenceSession, label: string): Promise<ProbeResult> {
    const segmenter = this.requireSegmenter();
    const encoded = this.encoded;
    if (!encoded) throw new Error('the encoder is probed before the decoder');
    const { decoder, amg, imageSize } = segmenter;
    const grid = buildPointGrid(amg.pointsPerSide, this.image.width, this.image.height, imageSize);
    const [batch] = planPromptBatches(grid.count, amg.pointsPerBatch, decoder.batchedPrompts);
    if (!batch) throw new Error('the prompt grid is empty');
    const prompts = decoderPromptFeeds(grid, batch);
    const empty = emptyMaskFeeds(batch.count, imageSize / 4);
    const encoderOutput = (key: keyof typeof segmenter.encoder.outputs) => {
      const tensor = encoded.get(segmenter.encoder.outputs[key]);
      if (!tensor) throw new Error(`encoder output for ${key} missing`);
      return this.tensor(tensor);
    };
    const { inputs, outputs } = decoder;
    const low = imageSize / 4;
    const results = await this.runChecked(
      session,
      label,
      {
        [inputs.imageEmbed]: encoderOutput('imageEmbed'),
        [inputs.highResFeats0]: encoderOutput('highResFeats0'),
        [inputs.highResFeats1]: encoderOutput('highResFeats1'),
        [inputs.pointCoords]: this.tensor(prompts.pointCoords),
        [inputs.pointLabels]: this.tensor(prompts.pointLabels),
        [inputs.maskInput]: this.tensor(empty.maskInput),
        [inputs.hasMaskInput]: this.tensor(empty.hasMaskInput),
      },
      [
        [outputs.masks, [batch.count, 3, low, low]],
        [outputs.iouPredictions, [batch.count, 3]],
      ],
      `a batch of ${batch.count} prompt(s)`,
    );
    return this.result(results, outputs.iouPredictions);
  }

  private requireSegmenter() {
    const { segmenter } = this.manifest;
    if (!segmenter) throw new Error(`the manifest has no ${MODEL_ROLE_NAMES.encoder}`);
    return segmenter;
  }
}
