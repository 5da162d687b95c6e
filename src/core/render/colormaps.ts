import {
  interpolateInferno,
  interpolateMagma,
  interpolateTurbo,
  interpolateViridis,
} from 'd3-scale-chromatic';
import { COLORMAP_NAMES, type ColormapName } from '../defaults';
import { InvalidInputError } from '../errors';

export { COLORMAP_NAMES, type ColormapName };

/** Entries per lookup table: entry i is the colour map at t = i/255. */
export const LUT_SIZE = 256;

const interpolators: Record<ColormapName, (t: number) => string> = {
  inferno: interpolateInferno,
  viridis: interpolateViridis,
  magma: interpolateMagma,
  turbo: interpolateTurbo,
  grey: (t) => {
    const v = Math.round(t * 255);
    return `rgb(${v}, ${v}, ${v})`;
  },
};

const lutCache = new Map<ColormapName, Uint8ClampedArray>();

export function isColormapName(name: string): name is ColormapName {
  return (COLORMAP_NAMES as readonly string[]).includes(name);
}

/**
 * The colour map as a 256-entry RGBA lookup table (opaque), sampled from d3-scale-chromatic at
 * t = i/255 and built once per map. Treat it as read-only: it is shared.
 */
export function colormapLut(name: ColormapName): Uint8ClampedArray {
  const cached = lutCache.get(name);
  if (cached) return cached;
  const interpolate = interpolators[name];
  if (interpolate === undefined) {
    throw new InvalidInputError(
      `Unknown colour map "${String(name)}"; choose one of ${COLORMAP_NAMES.join(', ')}.`,
    );
  }
  const lut = new Uint8ClampedArray(LUT_SIZE * 4);
  for (let i = 0; i < LUT_SIZE; i++) {
    const [r, g, b] = parseCssColour(interpolate(i / (LUT_SIZE - 1)));
    lut.set([r, g, b, 255], i * 4);
  }
  lutCache.set(name, lut);
  return lut;
}

/** d3's interpolators return "#rrggbb" (sampled ramps) or "rgb(r, g, b)" (turbo). */
export function parseCssColour(colour: string): [number, number, number] {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour);
  if (hex) return [hex[1], hex[2], hex[3]].map((h) => parseInt(h ?? '0', 16)) as Rgb;
  const rgb = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(colour);
  if (rgb) return [rgb[1], rgb[2], rgb[3]].map((v) => Number(v)) as Rgb;
  throw new InvalidInputError(`Cannot read the colour "${colour}".`);
}

type Rgb = [number, number, number];
