import { ShapeMismatchError } from '../errors';
import { planAxisResampling } from './axisResampling';
import type { BackboneInputPlan } from './backboneInputPlan';
import { IMAGENET_NORMALISATION, type ChannelNormalisation, type ModelTensor } from './modelTensor';
import { normalisedTensor } from './normalisedTensor';
import { planarView, type StridedImage } from './planarImage';
import { resampleSeparable } from './resample';
import { rgb8View, type Rgb8Image } from './rgb8Image';

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
  const working = resizedRgb(image, plan.working.width, plan.working.height);
  return normalisedTensor(
    working,
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
  const stretched = resizedRgb(image, imageSize, imageSize);
  return normalisedTensor(
    stretched,
    { tensorWidth: imageSize, tensorHeight: imageSize, left: 0, top: 0 },
    normalisation,
  );
}

// Values stay in 0..255 float (no re-quantisation) between resizing and normalisation.
function resizedRgb(image: Rgb8Image, width: number, height: number): StridedImage {
  const pixels = rgb8View(image);
  if (width === image.width && height === image.height) return pixels;
  return planarView(
    resampleSeparable(
      pixels,
      planAxisResampling(image.height, height),
      planAxisResampling(image.width, width),
    ),
  );
}
