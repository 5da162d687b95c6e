/**
 * A colour bar: the colour map from its first to its last entry with the score range's numbers,
 * or the threshold view's two colours with the threshold. The page draws it with CSS from the same
 * ticks and LUT; an exported view PNG gets it as a strip below the image (`colourBarStrip`).
 */
import { ShapeMismatchError } from '../errors';
import { colormapLut, LUT_SIZE, type ColormapName } from './colormaps';
import { compositeOver } from './compositeOver';
import type { Rgba } from './rgba';
import { THRESHOLD_VIEW_COLOURS, type ThresholdColours } from './thresholdView';

export type ColourBarStyle =
  | { kind: 'colour'; colormap: ColormapName; range: readonly [number, number] }
  | { kind: 'threshold'; threshold: number; colours: ThresholdColours };

/** One number on the bar, at `at` (0 = the bar's left end, 1 = its right end). */
export interface ColourBarTick {
  value: number;
  text: string;
  at: number;
}

/** Decimals that tell lo, middle and hi apart: two more than the span's first significant digit. */
function decimalsFor(span: number): number {
  if (!(span > 0) || !Number.isFinite(span)) return 3;
  return Math.min(6, Math.max(2, Math.ceil(-Math.log10(span)) + 2));
}

/** lo, the middle and hi of the range, with the same number of decimals. */
export function colourBarTicks(range: readonly [number, number]): ColourBarTick[] {
  const [lo, hi] = range;
  const decimals = decimalsFor(hi - lo);
  return [
    { value: lo, at: 0 },
    { value: (lo + hi) / 2, at: 0.5 },
    { value: hi, at: 1 },
  ].map((tick) => ({ ...tick, text: tick.value.toFixed(decimals) }));
}

/** The threshold view's two labels, each under the middle of its half. */
export function thresholdBarTicks(threshold: number): ColourBarTick[] {
  const text = threshold.toFixed(2);
  return [
    { value: threshold, at: 0.25, text: `< ${text}` },
    { value: threshold, at: 0.75, text: `≥ ${text}` },
  ];
}

export function colourBarTicksOf(style: ColourBarStyle): ColourBarTick[] {
  return style.kind === 'colour' ? colourBarTicks(style.range) : thresholdBarTicks(style.threshold);
}

/** The LUT entry column `column` of a bar `columns` wide shows: 0 at the left, 255 at the right. */
export function lutIndexAt(column: number, columns: number): number {
  return columns > 1 ? Math.round((column * (LUT_SIZE - 1)) / (columns - 1)) : LUT_SIZE - 1;
}

/** A horizontal gradient of the colour map, `width` × `height` RGBA, opaque. */
export function colourBarRgba(
  colormap: ColormapName,
  width: number,
  height: number,
): Uint8ClampedArray {
  const lut = colormapLut(colormap);
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let x = 0; x < width; x++) {
    const entry = lutIndexAt(x, width) * 4;
    for (let y = 0; y < height; y++) rgba.set(lut.subarray(entry, entry + 4), (y * width + x) * 4);
  }
  return rgba;
}

/** The threshold view's colours side by side: below the threshold left, at or above right. */
export function thresholdBarRgba(
  colours: ThresholdColours,
  width: number,
  height: number,
): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(width * height * 4);
  const split = Math.round(width / 2);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      rgba.set(x < split ? colours.below : colours.above, (y * width + x) * 4);
    }
  }
  return rgba;
}

/** Where a strip's parts lie, in pixels, for an image `width` wide. */
export interface ColourBarLayout {
  width: number;
  height: number;
  fontPx: number;
  /** The bar inside its one-pixel frame. */
  bar: { left: number; top: number; width: number; height: number };
  /** Baseline-free top of the numbers' line. */
  textTop: number;
}

/** Sizes in proportion to the image, so the strip reads the same on a thumbnail and on a photo. */
export function colourBarLayout(width: number): ColourBarLayout {
  const fontPx = Math.min(200, Math.max(10, Math.round(width * 0.025)));
  const margin = Math.max(2, Math.round(fontPx * 0.5));
  const barHeight = Math.max(6, Math.round(fontPx * 0.9));
  const frame = 1;
  const bar = {
    left: margin + frame,
    top: margin + frame,
    width: Math.max(1, width - 2 * (margin + frame)),
    height: barHeight,
  };
  const textTop = bar.top + bar.height + frame + Math.round(fontPx * 0.3);
  return { width, height: textTop + Math.round(fontPx * 1.2) + margin, fontPx, bar, textTop };
}

export const STRIP_COLOURS = {
  background: [255, 255, 255, 255],
  frame: [96, 96, 96, 255],
  text: [17, 17, 17, 255],
} as const satisfies Record<string, Rgba>;

export interface ColourBarStrip {
  layout: ColourBarLayout;
  /** `layout.width` × `layout.height` RGBA, opaque: white, the framed bar, room for the numbers. */
  rgba: Uint8ClampedArray;
  /** The numbers and where their centres (or ends, for the first and last) go, in pixels. */
  labels: { text: string; x: number; align: 'left' | 'center' | 'right' }[];
}

/**
 * The strip that goes below an exported view: the bar (threshold colours composited over the
 * white strip, as translucent colours have no colour of their own) and where its numbers go; the
 * caller draws the text, with whatever font it has.
 */
export function colourBarStrip(style: ColourBarStyle, width: number): ColourBarStrip {
  const layout = colourBarLayout(width);
  const { bar } = layout;
  const rgba = new Uint8ClampedArray(layout.width * layout.height * 4);
  fillRect(rgba, layout.width, 0, 0, layout.width, layout.height, STRIP_COLOURS.background);
  fillRect(
    rgba,
    layout.width,
    bar.left - 1,
    bar.top - 1,
    bar.width + 2,
    bar.height + 2,
    STRIP_COLOURS.frame,
  );
  const barRgba =
    style.kind === 'colour'
      ? colourBarRgba(style.colormap, bar.width, bar.height)
      : compositeOver(
          solid(bar.width * bar.height, STRIP_COLOURS.background),
          thresholdBarRgba(style.colours, bar.width, bar.height),
        );
  for (let y = 0; y < bar.height; y++) {
    const row = barRgba.subarray(y * bar.width * 4, (y + 1) * bar.width * 4);
    rgba.set(row, ((bar.top + y) * layout.width + bar.left) * 4);
  }
  const ticks = colourBarTicksOf(style);
  const labels = ticks.map((tick) => ({
    text: tick.text,
    x: bar.left + tick.at * bar.width,
    align:
      tick.at === 0 ? ('left' as const) : tick.at === 1 ? ('right' as const) : ('center' as const),
  }));
  return { layout, rgba, labels };
}

/** `top` with `bottom` below it (same width), as one RGBA raster. */
export function stackRows(
  top: Uint8ClampedArray,
  bottom: Uint8ClampedArray,
  width: number,
): Uint8ClampedArray {
  if (top.length % (width * 4) !== 0 || bottom.length % (width * 4) !== 0) {
    throw new ShapeMismatchError(`Both rasters must be ${width} pixels wide to stack them.`);
  }
  const out = new Uint8ClampedArray(top.length + bottom.length);
  out.set(top);
  out.set(bottom, top.length);
  return out;
}

function solid(pixels: number, colour: Rgba): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(pixels * 4);
  for (let i = 0; i < pixels; i++) rgba.set(colour, i * 4);
  return rgba;
}

function fillRect(
  rgba: Uint8ClampedArray,
  stride: number,
  left: number,
  top: number,
  width: number,
  height: number,
  colour: Rgba,
): void {
  for (let y = top; y < top + height; y++) {
    for (let x = left; x < left + width; x++) rgba.set(colour, (y * stride + x) * 4);
  }
}

/** The bar for a score layer's style: its colour map and range, or the threshold view's colours. */
export function colourBarStyleOf(
  layer:
    | { kind: 'colour'; colouring: { colormap: ColormapName; range: readonly [number, number] } }
    | { kind: 'threshold'; threshold: number },
): ColourBarStyle {
  return layer.kind === 'colour'
    ? { kind: 'colour', colormap: layer.colouring.colormap, range: layer.colouring.range }
    : { kind: 'threshold', threshold: layer.threshold, colours: THRESHOLD_VIEW_COLOURS };
}
