/**
 * JSON mask lists: an array of COCO uncompressed RLE masks, each either bare
 * (`{"size": [H, W], "counts": [...]}`) or inside a record (`{"segmentation": {...}, ...}`), as
 * the CLI's `score` command and pycocotools write them. Array order is processing order.
 */
import { z } from 'zod';
import { InvalidInputError } from '../errors';
import { cocoBboxOf } from './cocoBbox';
import { pixelMaskToRle, rleToPixelMask, type AutomaticMask, type CocoRle } from '../sam2';
import type { PixelMask } from '../types';

const cocoRle = z.strictObject({
  size: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
  counts: z.array(z.number().int().nonnegative()),
});

const maskEntry = z.union([cocoRle, z.looseObject({ segmentation: cocoRle })]);

export function decodeRleMaskList(text: string, source: string): PixelMask[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(`${source}: not valid JSON (${(error as Error).message}).`);
  }
  const parsed = z.array(maskEntry).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `at [${issue.path.join('][')}]` : 'at the top level';
    throw new InvalidInputError(
      `${source}: expected a JSON list of COCO RLE masks ({"size": [H, W], "counts": [...]}), ` +
        `problem ${where}: ${issue?.message ?? 'unknown'}.`,
    );
  }
  return parsed.data.map((entry, index) => {
    const rle: CocoRle = 'segmentation' in entry ? entry.segmentation : entry;
    try {
      return rleToPixelMask(rle);
    } catch (error) {
      throw new InvalidInputError(`${source}: mask ${index}: ${(error as Error).message}`);
    }
  });
}

/**
 * The records `score` writes: RLE plus what AMG knew about each mask, in COCO's field names and
 * forms (`bbox` is [x, y, width, height]).
 */
export function encodeAutomaticMasks(masks: readonly AutomaticMask[]): string {
  return JSON.stringify(
    masks.map((automaticMask) => ({
      segmentation: pixelMaskToRle(automaticMask.mask),
      area: automaticMask.area,
      predicted_iou: automaticMask.predictedIou,
      stability_score: automaticMask.stabilityScore,
      bbox: cocoBboxOf(automaticMask.mask),
      point_index: automaticMask.promptIndex,
    })),
  );
}
