import {
  colormapLut,
  colourBarTicksOf,
  lutIndexAt,
  type ColourBarStyle,
  type Rgba,
} from '../../core/render';

/** Gradient stops: between them CSS interpolates linearly, which the maps' LUTs are close to. */
const STOPS = 17;

const cssRgb = ([r, g, b]: Rgba) => `rgb(${r}, ${g}, ${b})`;
const cssRgba = ([r, g, b, a]: Rgba) => `rgba(${r}, ${g}, ${b}, ${+(a / 255).toFixed(3)})`;

/** The colour map as a CSS gradient from the same LUT entries the heatmap's pixels take. */
export function colourBarGradient(style: Extract<ColourBarStyle, { kind: 'colour' }>): string {
  const lut = colormapLut(style.colormap);
  const stops = Array.from({ length: STOPS }, (_, stop) => {
    const entry = lutIndexAt(stop, STOPS) * 4;
    const colour = [lut[entry], lut[entry + 1], lut[entry + 2], 255] as Rgba;
    return `${cssRgb(colour)} ${((stop / (STOPS - 1)) * 100).toFixed(2)}%`;
  });
  return `linear-gradient(to right, ${stops.join(', ')})`;
}

export function colourBarLabel(style: ColourBarStyle): string {
  const ticks = colourBarTicksOf(style);
  if (style.kind === 'threshold') {
    return `Threshold view: white at or above ${style.threshold.toFixed(2)}, darkened below`;
  }
  return `Colour scale ${style.colormap} from ${ticks[0]?.text} to ${ticks[ticks.length - 1]?.text}`;
}

/**
 * The scale under a heatmap: the colour map with lo, middle and hi of the range in use, or the
 * threshold view's two colours with the threshold.
 */
export function ColourBar({ style }: { style: ColourBarStyle }) {
  const ticks = colourBarTicksOf(style);
  const range =
    style.kind === 'colour'
      ? { 'data-lo': style.range[0], 'data-hi': style.range[1] }
      : { 'data-threshold': style.threshold };
  return (
    <div className="colour-bar" role="img" aria-label={colourBarLabel(style)} {...range}>
      {style.kind === 'colour' ? (
        <div className="colour-bar-strip" style={{ background: colourBarGradient(style) }} />
      ) : (
        <div className="colour-bar-strip threshold">
          <span style={{ background: cssRgba(style.colours.below) }} />
          <span style={{ background: cssRgba(style.colours.above) }} />
        </div>
      )}
      <div className="colour-bar-ticks">
        {ticks.map((tick) => (
          <span
            key={tick.at}
            className="colour-bar-tick"
            data-at={tick.at}
            style={{ left: `${tick.at * 100}%` }}
          >
            {tick.text}
          </span>
        ))}
      </div>
    </div>
  );
}
