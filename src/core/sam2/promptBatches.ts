import { InvalidInputError } from '../errors';
import type { ModelTensor } from '../image/modelTensor';
import type { PointGrid } from './pointGrid';

/** Prompts [start, start + count) of the grid, run through the decoder together. */
export interface PromptBatch {
  start: number;
  count: number;
}

/** Grid-order batches of pointsPerBatch prompts; batches of 1 when the decoder cannot batch. */
export function planPromptBatches(
  promptCount: number,
  pointsPerBatch: number,
  batchedPrompts = true,
): PromptBatch[] {
  if (!Number.isInteger(pointsPerBatch) || pointsPerBatch < 1) {
    throw new InvalidInputError(
      `pointsPerBatch must be a positive whole number (got ${pointsPerBatch}).`,
    );
  }
  const size = batchedPrompts ? pointsPerBatch : 1;
  const batches: PromptBatch[] = [];
  for (let start = 0; start < promptCount; start += size) {
    batches.push({ start, count: Math.min(size, promptCount - start) });
  }
  return batches;
}

/** The prompt-dependent decoder inputs, as plain typed arrays with their dims. */
export interface DecoderPromptFeeds {
  /** [N, 1, 2] (x, y) in the segmenter's input frame. */
  pointCoords: ModelTensor;
  /** [N, 1], all 1: one positive point per prompt. */
  pointLabels: ModelTensor;
}

/** The decoder inputs that say "no previous mask"; the same for every batch of N prompts. */
export interface EmptyMaskFeeds {
  /** [N, 1, S/4, S/4] zeros. */
  maskInput: ModelTensor;
  /** [1] = 0. */
  hasMaskInput: ModelTensor;
}

/** Decoder point feeds for one batch of grid prompts (pipeline.md §6). */
export function decoderPromptFeeds(grid: PointGrid, batch: PromptBatch): DecoderPromptFeeds {
  const { start, count } = batch;
  if (!Number.isInteger(start) || start < 0 || count < 1 || start + count > grid.count) {
    throw new InvalidInputError(
      `Prompts ${start}..${start + count} are outside the ${grid.count}-point grid.`,
    );
  }
  return {
    pointCoords: {
      data: grid.modelPoints.slice(2 * start, 2 * (start + count)),
      dims: [count, 1, 2],
    },
    pointLabels: { data: new Float32Array(count).fill(1), dims: [count, 1] },
  };
}

/** Empty-mask feeds for batches of `count` prompts; built once and reused across batches. */
export function emptyMaskFeeds(count: number, lowResSize = 256): EmptyMaskFeeds {
  return {
    maskInput: {
      data: new Float32Array(count * lowResSize * lowResSize),
      dims: [count, 1, lowResSize, lowResSize],
    },
    hasMaskInput: { data: new Float32Array(1), dims: [1] },
  };
}
