export {
  COLORMAP_NAMES,
  colormapLut,
  isColormapName,
  LUT_SIZE,
  parseCssColour,
  type ColormapName,
} from './colormaps';
export { compositeOver } from './compositeOver';
export { maskPalette, renderMaskOverlay, type MaskOverlayOptions } from './maskOverlay';
export type { Rgba } from './rgba';
export { scoreMapToRgba, type ScoreColouring } from './scoreMapRgba';
export { thresholdToRgba, type ThresholdColours } from './thresholdView';
export {
  displaySize,
  sampleMasks,
  sampleRgb,
  sampleScoreMap,
  type RasterSize,
} from './displayRaster';
