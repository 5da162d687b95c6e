/**
 * What only a run can tell about a model: a backbone's prefix tokens, channels and patch size,
 * whether a flow emits likelihoods or log-likelihoods, whether a SAM 2 decoder takes a batch of
 * prompts. Each probe runs the model on small synthetic inputs in onnxruntime-node.
 */
import * as ort from 'onnxruntime-node';
import type {
  ModelInterface,
  RecognisedBackbone,
  RecognisedDecoder,
  RecognisedFlow,
} from '../core/bundle/recogniseModel';
import { DINOV2_PATCH_SIZE } from '../core/defaults';
import { FlowclasError } from '../core/errors';

/** A model that would not run on a probe input, or answered in a shape no setting explains. */
export class ProbeError extends FlowclasError {
  constructor(message: string) {
    super('model-probe', message);
    this.name = 'ProbeError';
  }
}

/**
 * A CPU session for the model file at `path` (external data is found beside it). `optimised`
 * applies every graph optimisation, as the app's sessions do; reading a model's interface or
 * probing it needs none, and skipping them loads a large model in less than half the time.
 */
export async function openModelSession(
  path: string,
  { optimised = false } = {},
): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(path, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: optimised ? 'all' : 'disabled',
    // Warnings (e.g. constant folding skipped for fp16 nodes) are not the user's to act on.
    logSeverityLevel: 3,
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
}

export function modelInterface(session: ort.InferenceSession): ModelInterface {
  const describe = (values: readonly ort.InferenceSession.ValueMetadata[]) =>
    values.map((value) =>
      value.isTensor
        ? { name: value.name, type: value.type, shape: value.shape }
        : { name: value.name, type: 'non-tensor', shape: [] },
    );
  return { inputs: describe(session.inputMetadata), outputs: describe(session.outputMetadata) };
}

/** A deterministic, non-constant input (constant inputs can hide transposed layouts). */
function probeTensor(dims: number[], scale = 1): ort.Tensor {
  const size = dims.reduce((product, d) => product * d, 1);
  const data = Float32Array.from({ length: size }, (_, i) => scale * Math.sin(i * 0.37));
  return new ort.Tensor('float32', data, dims);
}

async function runOnce(
  session: ort.InferenceSession,
  feeds: Record<string, ort.Tensor>,
  output: string,
  what: string,
): Promise<ort.Tensor> {
  let outputs: ort.InferenceSession.ReturnType;
  try {
    outputs = await session.run(feeds);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ProbeError(`${what} failed: ${reason.split('\n')[0]}`);
  }
  const tensor = outputs[output];
  if (!tensor) throw new ProbeError(`${what} produced no "${output}"`);
  return tensor;
}

export interface BackboneProbe {
  layout: 'tokens' | 'map';
  channels: number;
  patchSize: number;
  /** How the patch size was found: read from a run, or the given or default value. */
  patchSizeSource: 'probed' | 'given' | 'default';
  /** tokens only: CLS + registers. */
  prefixTokens?: number;
  /** Each probe input [H, W] and the output shape it gave. */
  runs: { size: [number, number]; dims: readonly number[] }[];
}

/** Patch sizes tried, in order, when the token counts do not fit the given one. */
const candidatePatchSizes = [DINOV2_PATCH_SIZE, 16, 8];

/**
 * Runs the backbone on two sizes (grids 2×3 and 3×4 patches), or only on `inputSize` when the
 * graph or the user fixes one: tokens − h·w is the prefix-token count T at every size, a map's h
 * tells the patch.
 */
export async function probeBackbone(
  session: ort.InferenceSession,
  backbone: RecognisedBackbone,
  givenPatchSize: number | undefined,
  inputSize: [number, number] | undefined = backbone.fixedSize,
): Promise<BackboneProbe> {
  const base = givenPatchSize ?? DINOV2_PATCH_SIZE;
  const sizes: [number, number][] = inputSize
    ? [inputSize]
    : [
        [2 * base, 3 * base],
        [3 * base, 4 * base],
      ];
  const runs: BackboneProbe['runs'] = [];
  for (const [height, width] of sizes) {
    const output = await runOnce(
      session,
      { [backbone.input]: probeTensor([1, 3, height, width]) },
      backbone.output,
      `The backbone run on a ${width}×${height} probe image` +
        (inputSize ? '' : ' (if it takes only one input size, give it with --stretch HxW)'),
    );
    runs.push({ size: [height, width], dims: output.dims });
    output.dispose();
  }
  const describeRuns = () =>
    runs.map((run) => `[${run.dims.join(', ')}] at ${run.size[1]}×${run.size[0]}`).join(', ');
  const source = givenPatchSize ? 'given' : 'default';

  if (backbone.layout === 'map') {
    const [first] = runs;
    const [, channels = 0, h = 0] = first?.dims ?? [];
    const height = first?.size[0] ?? 0;
    const patch = h > 0 && Number.isInteger(height / h) ? height / h : 0;
    const consistent = runs.every(
      (run) =>
        run.dims.length === 4 &&
        run.dims[1] === channels &&
        (run.dims[2] ?? 0) * patch === run.size[0] &&
        (run.dims[3] ?? 0) * patch === run.size[1],
    );
    if (!patch || !consistent || (givenPatchSize && givenPatchSize !== patch)) {
      throw new ProbeError(
        `The backbone's feature maps (${describeRuns()}) are not the input divided by one patch ` +
          `size${givenPatchSize ? ` (given ${givenPatchSize})` : ''}.`,
      );
    }
    return {
      layout: 'map',
      channels,
      patchSize: patch,
      patchSizeSource: patch === givenPatchSize ? 'given' : 'probed',
      runs,
    };
  }

  const channels = runs[0]?.dims[2] ?? 0;
  const prefixFor = (patch: number) => {
    const counts = runs.map(
      (run) =>
        (run.dims[1] ?? 0) - Math.floor(run.size[0] / patch) * Math.floor(run.size[1] / patch),
    );
    return counts.every((count) => count === counts[0] && count >= 0) ? counts[0] : undefined;
  };
  const tried = givenPatchSize ? [givenPatchSize] : candidatePatchSizes;
  for (const patch of tried) {
    const prefixTokens = prefixFor(patch);
    if (prefixTokens === undefined) continue;
    return {
      layout: 'tokens',
      channels,
      patchSize: patch,
      patchSizeSource: patch === base ? source : 'probed',
      prefixTokens,
      runs,
    };
  }
  throw new ProbeError(
    `The backbone's token counts (${describeRuns()}) are not T + (H/p)·(W/p) for patch size ` +
      `${tried.join(' or ')}; set it with --patch-size.`,
  );
}

export interface FlowProbe {
  dims: readonly number[];
  /** Some output was negative: a likelihood q = exp(ℓ) never is. */
  hasNegative: boolean;
}

/** Runs the flow on a [1, C, 2, 3] feature map. */
export async function probeFlow(
  session: ort.InferenceSession,
  flow: RecognisedFlow,
  channels: number,
): Promise<FlowProbe> {
  const output = await runOnce(
    session,
    { [flow.input]: probeTensor([1, channels, 2, 3]) },
    flow.output,
    `The flow run on a [1, ${channels}, 2, 3] probe feature map`,
  );
  const data = (await output.getData()) as Float32Array;
  const probe = { dims: output.dims, hasNegative: data.some((value) => value < 0) };
  output.dispose();
  return probe;
}

/** Whether the decoder answers a batch of 2 prompts with 2 sets of masks. */
export async function probeDecoderBatching(
  session: ort.InferenceSession,
  decoder: RecognisedDecoder,
  imageSize: number,
): Promise<{ batched: boolean; reason: string }> {
  const low = imageSize / 4;
  const prompts = 2;
  const { inputs } = decoder;
  const feeds = {
    [inputs.imageEmbed]: probeTensor([1, 256, imageSize / 16, imageSize / 16]),
    [inputs.highResFeats0]: probeTensor([1, 32, low, low]),
    [inputs.highResFeats1]: probeTensor([1, 64, imageSize / 8, imageSize / 8]),
    [inputs.pointCoords]: probeTensor([prompts, 1, 2], imageSize / 2),
    [inputs.pointLabels]: new ort.Tensor('float32', new Float32Array(prompts).fill(1), [
      prompts,
      1,
    ]),
    [inputs.maskInput]: new ort.Tensor('float32', new Float32Array(prompts * low * low), [
      prompts,
      1,
      low,
      low,
    ]),
    [inputs.hasMaskInput]: new ort.Tensor('float32', new Float32Array(1), [1]),
  };
  try {
    const masks = await runOnce(session, feeds, decoder.outputs.masks, 'the 2-prompt run');
    const batched = masks.dims[0] === prompts;
    const reason = batched
      ? `2 prompts gave masks [${masks.dims.join(', ')}]`
      : `2 prompts gave masks [${masks.dims.join(', ')}], not 2 sets`;
    masks.dispose();
    return { batched, reason };
  } catch (error) {
    return { batched: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
