/**
 * A float image in planar CHW order: value (c, y, x) at data[(c·height + y)·width + x]. Single-channel
 * maps are C = 1. Planar because every consumer (the NCHW model input, score maps) is planar.
 */
export interface PlanarImage {
  channels: number;
  height: number;
  width: number;
  data: Float32Array;
}

/**
 * Any channel layout as the resampler and normaliser read it: value (c, y, x) at
 * data[c·channelStride + y·rowStride + x·columnStride]. Lets interleaved RGB8 pixels be read in
 * place instead of being copied into a float image first (an 8000×6000 photo would need 576 MB).
 */
export interface StridedImage {
  data: ArrayLike<number>;
  channels: number;
  height: number;
  width: number;
  channelStride: number;
  rowStride: number;
  columnStride: number;
}

export function planarView(image: PlanarImage): StridedImage {
  return {
    data: image.data,
    channels: image.channels,
    height: image.height,
    width: image.width,
    channelStride: image.height * image.width,
    rowStride: image.width,
    columnStride: 1,
  };
}
