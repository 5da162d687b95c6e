/** An exported view with its colour bar: the strip from the core, its numbers drawn in a canvas. */
import {
  colourBarStrip,
  stackRows,
  STRIP_COLOURS,
  type ColourBarStrip,
  type ColourBarStyle,
} from '../core/render';

/** The strip's RGBA with its numbers, where a 2D canvas exists (not in Node): the bar alone else. */
function labelledStrip(strip: ColourBarStrip): Uint8ClampedArray {
  const { layout, rgba, labels } = strip;
  if (typeof OffscreenCanvas === 'undefined') return rgba;
  const canvas = new OffscreenCanvas(layout.width, layout.height);
  const context = canvas.getContext('2d');
  if (!context) return rgba;
  context.putImageData(
    new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, layout.width, layout.height),
    0,
    0,
  );
  context.font = `${layout.fontPx}px sans-serif`;
  context.textBaseline = 'top';
  const [r, g, b] = STRIP_COLOURS.text;
  context.fillStyle = `rgb(${r}, ${g}, ${b})`;
  const spans = labels.map((label) => {
    const width = context.measureText(label.text).width;
    const left =
      label.align === 'left'
        ? label.x
        : label.align === 'right'
          ? label.x - width
          : label.x - width / 2;
    return { ...label, left, right: left + width };
  });
  // On a narrow image the middle number would run into the ends: then only the ends are drawn.
  const gap = layout.fontPx / 2;
  const fits = spans.every((span, i) => i === 0 || (spans[i - 1]?.right ?? 0) + gap <= span.left);
  const shown = fits || spans.length < 3 ? spans : [spans[0], spans[spans.length - 1]];
  for (const span of shown) {
    if (!span) continue;
    context.textAlign = span.align;
    context.fillText(span.text, span.x, layout.textTop);
  }
  return context.getImageData(0, 0, layout.width, layout.height).data;
}

/** `rgba` (width × height) with the colour bar strip below it, and the new height. */
export function withColourBarBelow(
  rgba: Uint8ClampedArray,
  width: number,
  height: number,
  style: ColourBarStyle,
): { rgba: Uint8ClampedArray; height: number } {
  const strip = colourBarStrip(style, width);
  return {
    rgba: stackRows(rgba, labelledStrip(strip), width),
    height: height + strip.layout.height,
  };
}
