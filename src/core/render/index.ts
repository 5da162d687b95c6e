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
export { THRESHOLD_VIEW_COLOURS, thresholdToRgba, type ThresholdColours } from './thresholdView';
export {
  colourBarRgba,
  colourBarStrip,
  colourBarStyleOf,
  colourBarTicks,
  colourBarTicksOf,
  lutIndexAt,
  stackRows,
  STRIP_COLOURS,
  thresholdBarTicks,
  type ColourBarStrip,
  type ColourBarStyle,
  type ColourBarTick,
} from './colourBar';
export {
  displaySize,
  sampleMasks,
  sampleRgb,
  sampleScoreMap,
  type RasterSize,
} from './displayRaster';
