/** A dense single-channel float map, row-major: value of (x, y) at data[y * width + x]. */
export interface ScoreMap {
  width: number;
  height: number;
  data: Float32Array;
}

/** Ground truth per pixel: 0 inlier, 1 anomaly, 255 ignore. Row-major like ScoreMap. */
export interface LabelMap {
  width: number;
  height: number;
  data: Uint8Array;
}

export const LABEL_INLIER = 0;
export const LABEL_ANOMALY = 1;
export const LABEL_IGNORE = 255;

/**
 * A binary mask as the ascending row-major indices of its pixels. Sparse form, because
 * smoothing and metrics only ever visit the pixels inside a mask.
 */
export interface PixelMask {
  width: number;
  height: number;
  pixels: Uint32Array;
}
