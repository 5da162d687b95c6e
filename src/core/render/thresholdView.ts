import type { ScoreMap } from '../types';
import type { Rgba } from './rgba';

export interface ThresholdColours {
  /** Pixels with score ≥ threshold. */
  above: Rgba;
  below: Rgba;
}

const DEFAULT_COLOURS: ThresholdColours = { above: [255, 255, 255, 255], below: [0, 0, 0, 255] };

/** The app's threshold view over the photo: positives white, the rest darkened but visible. */
export const THRESHOLD_VIEW_COLOURS: ThresholdColours = {
  above: [255, 255, 255, 255],
  below: [0, 0, 0, 160],
};

/**
 * The binary map at a score threshold as RGBA; positive iff score ≥ threshold, the same rule as
 * the metrics. NaN pixels are left transparent.
 */
export function thresholdToRgba(
  scoreMap: ScoreMap,
  threshold: number,
  colours: ThresholdColours = DEFAULT_COLOURS,
): Uint8ClampedArray {
  const { data } = scoreMap;
  const rgba = new Uint8ClampedArray(data.length * 4);
  for (let pixel = 0; pixel < data.length; pixel++) {
    const value = data[pixel] ?? NaN;
    if (Number.isNaN(value)) continue;
    const colour = value >= threshold ? colours.above : colours.below;
    for (let c = 0; c < 4; c++) rgba[pixel * 4 + c] = colour[c] ?? 0;
  }
  return rgba;
}
