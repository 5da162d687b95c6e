import { ShapeMismatchError } from '../errors';

/**
 * Porter-Duff "over" of a straight-alpha RGBA layer onto a straight-alpha RGBA base (same size),
 * with an extra layer opacity 0..1: e.g. a heatmap or mask overlay over the photo for a PNG.
 */
export function compositeOver(
  base: Uint8ClampedArray,
  layer: Uint8ClampedArray,
  opacity = 1,
): Uint8ClampedArray {
  if (base.length !== layer.length || base.length % 4 !== 0) {
    throw new ShapeMismatchError(
      `Cannot composite a layer of ${layer.length / 4} pixels over an image of ${base.length / 4}.`,
    );
  }
  const out = new Uint8ClampedArray(base.length);
  for (let i = 0; i < base.length; i += 4) {
    const layerAlpha = ((layer[i + 3] ?? 0) / 255) * opacity;
    const baseAlpha = (base[i + 3] ?? 0) / 255;
    const alpha = layerAlpha + baseAlpha * (1 - layerAlpha);
    for (let c = 0; c < 3; c++) {
      out[i + c] =
        alpha === 0
          ? 0
          : ((layer[i + c] ?? 0) * layerAlpha + (base[i + c] ?? 0) * baseAlpha * (1 - layerAlpha)) /
            alpha;
    }
    out[i + 3] = Math.round(alpha * 255);
  }
  return out;
}
