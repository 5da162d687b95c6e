/** Backbone → flow → score map (pipeline.md §1–4) on a bundle's sessions. */
import {
  BACKBONE_LAYOUT_RULES,
  backboneOutputToFeatureMap,
  flowOutputToLikelihoodGrid,
  likelihoodGridToScoreMap,
  type LikelihoodGrid,
} from '../anomaly';
import type { BundleManifest } from '../bundle/manifestSchema';
import { backboneInputTensor, planBackboneInput, type Rgb8Image } from '../image';
import type { InferenceSession, OrtApi, Tensor } from '../runtime/ort';
import type { ScoreMap } from '../types';
import type { StageClock } from './stages';

export interface AnomalyScoreResult {
  likelihoodGrid: LikelihoodGrid;
  scoreMap: ScoreMap;
}

async function cpuData(tensor: Tensor): Promise<Float32Array> {
  return (await tensor.getData(true)) as Float32Array;
}

export async function computeAnomalyScore(
  ort: OrtApi,
  sessions: { backbone: InferenceSession; flow: InferenceSession },
  manifest: BundleManifest,
  image: Rgb8Image,
  clock: StageClock,
  signal?: AbortSignal,
): Promise<AnomalyScoreResult> {
  const { backbone, flow } = manifest;
  const plan = planBackboneInput(image.width, image.height, backbone.resize, backbone.patchSize);
  const input = await clock.time('backbone-input', () =>
    backboneInputTensor(image, plan, { mean: backbone.mean, std: backbone.std }),
  );
  signal?.throwIfAborted();

  const backboneOutputs = await clock.time('backbone', () =>
    sessions.backbone.run({ [backbone.input]: new ort.Tensor('float32', input.data, input.dims) }),
  );
  const backboneOutput = backboneOutputs[backbone.output];
  if (!backboneOutput) throw new Error(`backbone output "${backbone.output}" missing`);
  signal?.throwIfAborted();

  // A map-layout output already is the flow input and may stay on the GPU; tokens are
  // re-laid out on the CPU (a few hundred KB), which costs far less than a model run.
  let flowInput: Tensor;
  if (
    BACKBONE_LAYOUT_RULES[backbone.layout].feedsFlowUnchanged &&
    backboneOutput.location === 'gpu-buffer'
  ) {
    flowInput = backboneOutput;
  } else {
    const features = backboneOutputToFeatureMap(
      { data: await cpuData(backboneOutput), dims: [...backboneOutput.dims] },
      plan.grid,
      { layout: backbone.layout, prefixTokens: backbone.prefixTokens, channels: backbone.channels },
    );
    backboneOutput.dispose();
    flowInput = new ort.Tensor('float32', features.data, [
      1,
      features.channels,
      features.height,
      features.width,
    ]);
  }

  const flowOutputs = await clock.time('flow', async () => {
    const outputs = await sessions.flow.run({ [flow.input]: flowInput });
    const output = outputs[flow.output];
    if (!output) throw new Error(`flow output "${flow.output}" missing`);
    return { data: await cpuData(output), dims: [...output.dims] };
  });
  flowInput.dispose();
  signal?.throwIfAborted();

  return clock.time('score-map', () => {
    const likelihoodGrid = flowOutputToLikelihoodGrid(flowOutputs, plan.grid, flow.outputKind);
    return { likelihoodGrid, scoreMap: likelihoodGridToScoreMap(likelihoodGrid, plan) };
  });
}
