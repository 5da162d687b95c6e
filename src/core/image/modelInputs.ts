import { ShapeMismatchError } from '../errors';
import { planAxisResampling } from './axisResampling';
import type { BackboneInputPlan } from './backboneInputPlan';
import { IMAGENET_NORMALISATION, type ChannelNormalisation, type ModelTensor } from './modelTensor';
import { resizeNormaliseInto } from './resizeNormalise';
import type { Rgb8Image } from './rgb8Image';

/**
 * The backbone input [1, 3, H', W'] for `plan` (pipeline.md §1): resize to the working size with
 * the shared per-axis rule (skipped when the size is unchanged), zero-pad with the floor split,
 * then normalise.
 */
export function backboneInputTensor(
  image: Rgb8Image,
  plan: BackboneInputPlan,
  normalisation: ChannelNormalisation = IMAGENET_NORMALISATION,
): ModelTensor {
  if (image.width !== plan.original.width || image.height !== plan.original.height) {
    throw new ShapeMismatchError(
      `The backbone input was planned for ${plan.original.width}×${plan.original.height}, but the image is ${image.width}×${image.height}.`,
    );
  }
  return resizeNormaliseInto(
    image,
    planAxisResampling(image.height, plan.working.height),
    planAxisResampling(image.width, plan.working.width),
    {
      tensorWidth: plan.padded.width,
      tensorHeight: plan.padded.height,
      left: plan.padding.left,
      top: plan.padding.top,
    },
    normalisation,
  );
}

/**
 * The SAM 2 encoder input [1, 3, S, S] (pipeline.md §6): the whole image stretched to S × S
 * (no aspect keeping, no padding; area-averaging downscale), then normalised.
 */
export function segmenterInputTensor(
  image: Rgb8Image,
  imageSize = 1024,
  normalisation: ChannelNormalisation = IMAGENET_NORMALISATION,
): ModelTensor {
  return resizeNormaliseInto(
    image,
    planAxisResampling(image.height, imageSize),
    planAxisResampling(image.width, imageSize),
    { tensorWidth: imageSize, tensorHeight: imageSize, left: 0, top: 0 },
    normalisation,
  );
}
