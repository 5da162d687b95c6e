/**
 * Plain tensor data for a model input or output: a float32 buffer and its dims. No ONNX Runtime
 * types, so it can be built anywhere and transferred between threads.
 */
export interface ModelTensor {
  data: Float32Array;
  dims: number[];
}

/** Per-channel normalisation x = (v/255 − mean)/std. */
export interface ChannelNormalisation {
  mean: readonly number[];
  std: readonly number[];
}

/** ImageNet statistics, the default of both the backbone and SAM 2. */
export const IMAGENET_NORMALISATION: ChannelNormalisation = {
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
};
