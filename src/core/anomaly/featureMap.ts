import type { BackboneLayout } from '../defaults';
import { ShapeMismatchError } from '../errors';
import type { ImageSize } from '../image/backboneInputPlan';
import type { ModelTensor } from '../image/modelTensor';

/** Backbone features as the flow takes them: [1, C, h, w], value (c, y, x) at data[(c·h + y)·w + x]. */
export interface FeatureMap {
  channels: number;
  height: number;
  width: number;
  data: Float32Array;
}

/** How the backbone lays out its output (docs/bundle-format.md `backbone`). */
export interface BackboneOutputLayout {
  layout: BackboneLayout;
  /** tokens only: CLS + registers, dropped before the patch tokens. */
  prefixTokens?: number | undefined;
  /** The manifest's channel count C, checked when given. */
  channels?: number | undefined;
}

/** What each backbone layout means for the rest of the pipeline, in one place. */
export interface BackboneLayoutRules {
  /** Output dims the contract promises for C channels; null where any size goes. */
  outputDims(channels: number): (number | null)[];
  /** The output is the flow's input as it is: under WebGPU it can stay on the GPU between them. */
  feedsFlowUnchanged: boolean;
  /** The output, read back, as the flow's [1, C, h, w] input for the feature grid h × w. */
  toFeatureMap(output: ModelTensor, grid: ImageSize, layout: BackboneOutputLayout): FeatureMap;
}

export const BACKBONE_LAYOUT_RULES: Record<BackboneLayout, BackboneLayoutRules> = {
  tokens: {
    outputDims: (channels) => [1, null, channels],
    feedsFlowUnchanged: false,
    toFeatureMap: (output, grid, layout) =>
      tokensToFeatureMap(output, grid, layout.prefixTokens ?? 0, layout.channels),
  },
  map: {
    outputDims: (channels) => [1, channels, null, null],
    feedsFlowUnchanged: true,
    toFeatureMap: (output, grid, layout) => mapToFeatureMap(output, grid, layout.channels),
  },
};

/** A backbone output turned into the flow's [1, C, h, w] input for the feature grid h × w. */
export function backboneOutputToFeatureMap(
  output: ModelTensor,
  grid: ImageSize,
  layout: BackboneOutputLayout,
): FeatureMap {
  return BACKBONE_LAYOUT_RULES[layout.layout].toFeatureMap(output, grid, layout);
}

/**
 * [1, T + h·w, C] tokens → [1, C, h, w] (pipeline.md §2): drop the T prefix tokens; token T + k is
 * row floor(k/w), column k mod w.
 */
export function tokensToFeatureMap(
  tokens: ModelTensor,
  grid: ImageSize,
  prefixTokens: number,
  channels?: number,
): FeatureMap {
  const patchCount = grid.height * grid.width;
  const actualChannels = tokens.dims[2] ?? 0;
  const expected = [1, prefixTokens + patchCount, channels ?? actualChannels];
  requireDims(
    tokens,
    expected,
    `a ${grid.width}×${grid.height} patch grid with ${prefixTokens} prefix token(s)`,
  );
  const c = actualChannels;
  const features = new Float32Array(c * patchCount);
  const { data } = tokens;
  for (let k = 0; k < patchCount; k++) {
    const tokenStart = (prefixTokens + k) * c;
    for (let channel = 0; channel < c; channel++) {
      features[channel * patchCount + k] = data[tokenStart + channel] ?? 0;
    }
  }
  return { channels: c, height: grid.height, width: grid.width, data: features };
}

/** A map-layout output [1, C, h, w] is already the flow input; only its shape is checked. */
export function mapToFeatureMap(map: ModelTensor, grid: ImageSize, channels?: number): FeatureMap {
  const c = channels ?? map.dims[1] ?? 0;
  requireDims(map, [1, c, grid.height, grid.width], `a ${grid.width}×${grid.height} patch grid`);
  return { channels: c, height: grid.height, width: grid.width, data: map.data };
}

function requireDims(tensor: ModelTensor, expected: number[], forWhat: string): void {
  const dimsMatch =
    tensor.dims.length === expected.length && tensor.dims.every((d, i) => d === expected[i]);
  const size = expected.reduce((product, d) => product * d, 1);
  if (!dimsMatch || tensor.data.length !== size) {
    throw new ShapeMismatchError(
      `The backbone output has shape [${tensor.dims.join(', ')}] (${tensor.data.length} values), ` +
        `but ${forWhat} needs [${expected.join(', ')}]. Check the bundle's backbone patchSize, ` +
        `layout, prefixTokens, channels and resize settings.`,
    );
  }
}
