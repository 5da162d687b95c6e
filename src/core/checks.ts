/**
 * The checks the core, the app and the CLI run on score maps, ground truth and model outputs,
 * each with one message: finite values, labels 0 / 1 / 255, ground truth of its image's size,
 * and one way of naming a pixel in errors.
 */
import { InvalidInputError, ShapeMismatchError } from './errors';
import { LABEL_ANOMALY, LABEL_IGNORE, LABEL_INLIER, type LabelMap, type ScoreMap } from './types';

/**
 * The index of the first NaN or ±Inf among values[start, end), or −1 when all are finite.
 * x·0 is 0 for finite x and NaN otherwise, so the common, valid case is four branch-free sums
 * (independent, so the adds do not wait on each other); the search runs only on failure.
 */
export function firstNonFiniteIndex(
  values: ArrayLike<number>,
  start = 0,
  end = values.length,
): number {
  let poison0 = 0;
  let poison1 = 0;
  let poison2 = 0;
  let poison3 = 0;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    poison0 += (values[i] as number) * 0;
    poison1 += (values[i + 1] as number) * 0;
    poison2 += (values[i + 2] as number) * 0;
    poison3 += (values[i + 3] as number) * 0;
  }
  for (; i < end; i++) poison0 += (values[i] as number) * 0;
  if (poison0 + poison1 + poison2 + poison3 === 0) return -1;
  for (i = start; i < end; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

/** A row-major index as the x, y a person can find in an image viewer: "x=3, y=1". */
export function pixelPosition(pixel: number, width: number): string {
  return `x=${pixel % width}, y=${Math.floor(pixel / width)}`;
}

/** Throws error(value, index) for the first non-finite value among values[start, end). */
export function requireFinite(
  values: ArrayLike<number>,
  error: (value: number, index: number) => Error,
  start = 0,
  end = values.length,
): void {
  const index = firstNonFiniteIndex(values, start, end);
  if (index >= 0) throw error(values[index] as number, index);
}

/**
 * Scores must be finite numbers: NaN or ±Inf have no histogram bin, no rank and no mean.
 * `image` names the map in the message ("a.png", "image 3").
 */
export function requireFiniteScores(scoreMap: ScoreMap, image?: string): void {
  const { data, width } = scoreMap;
  requireFinite(
    data,
    (score, pixel) =>
      new InvalidInputError(
        `${image ? `${image}: the` : 'The'} score map has a non-finite score (${String(score)}) ` +
          `at ${pixelPosition(pixel, width)}; scores must be finite numbers.`,
      ),
  );
}

/**
 * A model output that is NaN or infinite means a broken model or backend, never a value to
 * drop. `at` says where, when the output is a map.
 */
export function nonFiniteModelOutputError(
  producer: string,
  output: string,
  value: number,
  at?: string,
): InvalidInputError {
  return new InvalidInputError(
    `${producer} produced a non-finite ${output} (${value})${at ? ` at ${at}` : ''}. The model ` +
      'or its inputs are broken; on WebGPU, try the WASM backend.',
  );
}

/** Whether a value is a ground-truth label: 0 inlier, 1 anomaly, 255 ignore. */
export function isLabel(value: number): boolean {
  return value === LABEL_INLIER || value === LABEL_ANOMALY || value === LABEL_IGNORE;
}

/** Ground truth holds labels only; `source` names it ("gt.png", "image 3"). */
export function requireValidLabels(labelMap: LabelMap, source: string): void {
  const { data, width } = labelMap;
  // Branch-free for the common, valid case; the search runs only on failure.
  let unknown = 0;
  for (let i = 0; i < data.length; i++) unknown |= Number(!isLabel(data[i] as number));
  if (unknown === 0) return;
  const pixel = data.findIndex((label) => !isLabel(label));
  throw new InvalidInputError(
    `${source}: unexpected label ${data[pixel]} at ${pixelPosition(pixel, width)}; ` +
      'ground truth must hold 0 (inlier), 1 (anomaly) or 255 (ignore).',
  );
}

/** Something with a size and a name for messages. */
export interface NamedSize {
  name: string;
  width: number;
  height: number;
}

/**
 * Why ground truth cannot label an image (or its score map): the sizes differ; null when they
 * agree. `first` and `second` are the two, in the order the message names them
 * ("x_gt.png is 4×3 but x.png is 3×4; ground truth must have the image's size.").
 */
export function groundTruthSizeProblem(first: NamedSize, second: NamedSize): string | null {
  if (first.width === second.width && first.height === second.height) return null;
  return (
    `${first.name} is ${first.width}×${first.height} but ${second.name} is ` +
    `${second.width}×${second.height}; ground truth must have the image's size.`
  );
}

/** Throws a ShapeMismatchError with groundTruthSizeProblem's message when the sizes differ. */
export function requireGroundTruthSize(first: NamedSize, second: NamedSize): void {
  const problem = groundTruthSizeProblem(first, second);
  if (problem) throw new ShapeMismatchError(problem);
}
