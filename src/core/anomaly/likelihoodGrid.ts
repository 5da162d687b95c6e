import type { FlowOutputKind } from '../defaults';
import { InvalidInputError, ShapeMismatchError } from '../errors';
import type { ImageSize } from '../image/backboneInputPlan';
import type { ModelTensor } from '../image/modelTensor';

/** The flow output [1, 1, h, w] on the feature grid: q = exp(ℓ) or ℓ itself, row-major. */
export interface LikelihoodGrid {
  kind: FlowOutputKind;
  height: number;
  width: number;
  data: Float32Array;
}

/** Checks the flow output's shape [1, 1, h, w] and that every value is finite. */
export function flowOutputToLikelihoodGrid(
  output: ModelTensor,
  grid: ImageSize,
  kind: FlowOutputKind,
): LikelihoodGrid {
  const expected = [1, 1, grid.height, grid.width];
  const dimsMatch = output.dims.length === 4 && output.dims.every((d, i) => d === expected[i]);
  if (!dimsMatch || output.data.length !== grid.height * grid.width) {
    throw new ShapeMismatchError(
      `The flow output has shape [${output.dims.join(', ')}] (${output.data.length} values), but ` +
        `the ${grid.width}×${grid.height} feature grid needs [${expected.join(', ')}].`,
    );
  }
  const badIndex = output.data.findIndex((v) => !Number.isFinite(v));
  if (badIndex >= 0) {
    throw new InvalidInputError(
      `The flow produced a non-finite ${kind} (${output.data[badIndex]}) at grid cell ` +
        `(${badIndex % grid.width}, ${Math.floor(badIndex / grid.width)}). The model or its ` +
        `inputs are broken; on WebGPU, try the WASM backend.`,
    );
  }
  return { kind, height: grid.height, width: grid.width, data: output.data };
}
