import { ShapeMismatchError } from '../errors';
import { planAxisResampling, sliceAxisResampling } from '../image/axisResampling';
import type { BackboneInputPlan } from '../image/backboneInputPlan';
import { resampleScoreMap, resampleSeparable } from '../image/resample';
import type { ScoreMap } from '../types';
import type { LikelihoodGrid } from './likelihoodGrid';

/**
 * Likelihood grid [h, w] → anomaly score map [H, W] (pipeline.md §4, align_corners = false):
 * upsample by exactly the patch size in the likelihood domain, crop the padding (only the
 * un-padded part is ever computed), s = 1 − q (or s = −ℓ), then resize to the original size with
 * the shared per-axis rule when the backbone saw a resized image.
 */
export function likelihoodGridToScoreMap(
  likelihoodGrid: LikelihoodGrid,
  plan: BackboneInputPlan,
): ScoreMap {
  const { grid, patchSize, padding, working, original } = plan;
  if (likelihoodGrid.height !== grid.height || likelihoodGrid.width !== grid.width) {
    throw new ShapeMismatchError(
      `The likelihood grid is ${likelihoodGrid.width}×${likelihoodGrid.height}, but the image was ` +
        `planned for a ${grid.width}×${grid.height} grid.`,
    );
  }
  const rows = sliceAxisResampling(
    planAxisResampling(grid.height, grid.height * patchSize),
    padding.top,
    padding.top + working.height,
  );
  const columns = sliceAxisResampling(
    planAxisResampling(grid.width, grid.width * patchSize),
    padding.left,
    padding.left + working.width,
  );
  const upsampled = resampleSeparable(
    {
      data: likelihoodGrid.data,
      channels: 1,
      height: grid.height,
      width: grid.width,
      channelStride: 0,
      rowStride: grid.width,
      columnStride: 1,
    },
    rows,
    columns,
  );
  const scores = upsampled.data;
  if (likelihoodGrid.kind === 'likelihood') {
    for (let i = 0; i < scores.length; i++) scores[i] = 1 - (scores[i] ?? 0);
  } else {
    for (let i = 0; i < scores.length; i++) scores[i] = -(scores[i] ?? 0);
  }
  const workingScores = { width: working.width, height: working.height, data: scores };
  if (working.width === original.width && working.height === original.height) {
    return workingScores;
  }
  return resampleScoreMap(workingScores, original.width, original.height);
}
