import type { FlowOutputKind } from '../defaults';
import { nonFiniteModelOutputError, pixelPosition, requireFinite } from '../checks';
import { ShapeMismatchError } from '../errors';
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
  requireFinite(output.data, (value, cell) =>
    nonFiniteModelOutputError(
      'The flow',
      kind,
      value,
      `grid cell ${pixelPosition(cell, grid.width)}`,
    ),
  );
  return { kind, height: grid.height, width: grid.width, data: output.data };
}
