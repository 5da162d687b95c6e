export { planAxisResampling, sliceAxisResampling, type AxisResampling } from './axisResampling';
export {
  fitWithinMaxSide,
  planBackboneInput,
  type BackboneInputPlan,
  type ImageSize,
  type ResizePolicy,
} from './backboneInputPlan';
export { backboneInputTensor, segmenterInputTensor } from './modelInputs';
export { IMAGENET_NORMALISATION, type ChannelNormalisation, type ModelTensor } from './modelTensor';
export { resizeNormaliseInto, type TensorPlacement } from './resizeNormalise';
export { planAxisPadding, type AxisPadding } from './patchPadding';
export { planarView, type PlanarImage, type StridedImage } from './planarImage';
export { resamplePlanar, resampleScoreMap, resampleSeparable } from './resample';
export { rgb8View, type Rgb8Image } from './rgb8Image';
