/**
 * WebGPU self-check. We have measured wrong WebGPU results on this stack (a channel LayerNorm in
 * a SAM-style decoder), so before trusting WebGPU the flow and the decoder run on a small
 * deterministic canary input on WebGPU and on WASM, and the outputs are compared.
 */
import type { BundleManifest } from '../bundle/manifestSchema';
import { maxAbsDifference, seededRandom } from '../numeric';
import type { InferenceSession, OrtApi, Tensor } from './ort';

function canaryTensor(ort: OrtApi, dims: number[], seed: number, scale = 1): Tensor {
  const uniform = seededRandom(seed);
  const size = dims.reduce((product, dim) => product * dim, 1);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = (uniform() * 2 - 1) * scale;
  return new ort.Tensor('float32', data, dims);
}

export type CanaryFeeds = Record<string, Record<string, Tensor>>;

/** Canary inputs for the flow (a 6×5 feature grid) and, when present, the decoder (2 prompts). */
export function canaryFeeds(ort: OrtApi, manifest: BundleManifest): CanaryFeeds {
  const feeds: CanaryFeeds = {
    flow: { [manifest.flow.input]: canaryTensor(ort, [1, manifest.flow.channels, 5, 6], 1) },
  };
  const segmenter = manifest.segmenter;
  if (segmenter) {
    const size = segmenter.imageSize;
    const prompts = segmenter.decoder.batchedPrompts ? 2 : 1;
    const names = segmenter.decoder.inputs;
    const coords = new Float32Array(prompts * 2);
    for (let i = 0; i < coords.length; i++) coords[i] = ((i + 1) * size) / (coords.length + 2);
    feeds.decoder = {
      [names.imageEmbed]: canaryTensor(ort, [1, 256, size / 16, size / 16], 2),
      [names.highResFeats0]: canaryTensor(ort, [1, 32, size / 4, size / 4], 3),
      [names.highResFeats1]: canaryTensor(ort, [1, 64, size / 8, size / 8], 4),
      [names.pointCoords]: new ort.Tensor('float32', coords, [prompts, 1, 2]),
      [names.pointLabels]: new ort.Tensor('float32', new Float32Array(prompts).fill(1), [
        prompts,
        1,
      ]),
      [names.maskInput]: new ort.Tensor(
        'float32',
        new Float32Array(prompts * (size / 4) * (size / 4)),
        [prompts, 1, size / 4, size / 4],
      ),
      [names.hasMaskInput]: new ort.Tensor('float32', new Float32Array(1), [1]),
    };
  }
  return feeds;
}

export interface CanaryDifference {
  model: string;
  output: string;
  maxAbsDiff: number;
  tolerance: number;
}

export interface CanaryVerdict {
  agrees: boolean;
  differences: CanaryDifference[];
  /** For the user when WebGPU was rejected: which output disagreed and by how much. */
  reason?: string;
}

function largestMagnitude(values: Float32Array): number {
  let largest = 0;
  for (const value of values) largest = Math.max(largest, Math.abs(value));
  return largest;
}

export type CanaryOutputs = Record<string, Record<string, Float32Array>>;

/** Runs the canary feeds through a provider's flow and decoder sessions; outputs on the CPU. */
export async function runCanary(
  sessions: { flow: InferenceSession; decoder?: InferenceSession },
  feeds: CanaryFeeds,
): Promise<CanaryOutputs> {
  const outputs: CanaryOutputs = {};
  for (const [model, feed] of Object.entries(feeds)) {
    const session = model === 'flow' ? sessions.flow : sessions.decoder;
    if (!session) continue;
    const results = await session.run(feed);
    outputs[model] = {};
    for (const [name, tensor] of Object.entries(results)) {
      outputs[model][name] = new Float32Array((await tensor.getData(true)) as Float32Array);
    }
  }
  return outputs;
}

/**
 * WebGPU agrees when every output is within 1e-3 of WASM, relative to the output's magnitude
 * (floating-point reordering on GPUs stays far below that; the fault we measured was ~100×).
 * A model running fp16 weights gets its own, looser tolerance (`relativeTolerance[model]`).
 */
export function compareCanaryOutputs(
  wasm: CanaryOutputs,
  webgpu: CanaryOutputs,
  relativeTolerance: Record<string, number> = {},
): CanaryVerdict {
  const differences: CanaryDifference[] = [];
  for (const [model, outputs] of Object.entries(wasm)) {
    for (const [output, reference] of Object.entries(outputs)) {
      const candidate = webgpu[model]?.[output] ?? new Float32Array(0);
      const tolerance =
        (relativeTolerance[model] ?? 1e-3) * Math.max(1, largestMagnitude(reference));
      differences.push({
        model,
        output,
        maxAbsDiff: maxAbsDifference(reference, candidate),
        tolerance,
      });
    }
  }
  const failing = differences.find(
    (difference) => !(difference.maxAbsDiff <= difference.tolerance),
  );
  if (!failing) return { agrees: true, differences };
  return {
    agrees: false,
    differences,
    reason:
      `WebGPU gave wrong results on this device (${failing.model} output "${failing.output}" ` +
      `differs from WebAssembly by ${failing.maxAbsDiff.toPrecision(3)}, tolerance ` +
      `${failing.tolerance.toPrecision(3)}), so the models run on WebAssembly instead.`,
  };
}
