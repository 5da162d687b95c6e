import { InvalidInputError } from '../errors';

/**
 * Bounding box of the low-res logits ≥ threshold in the S × S plane at planeOffset; undefined when
 * there are none. Every logit is visited, so this is also where non-finite logits are caught.
 */
export function activeLowResBox(
  logits: Float32Array,
  planeOffset: number,
  size: number,
  threshold: number,
): { x0: number; y0: number; x1: number; y1: number } | undefined {
  let x0 = size;
  let x1 = -1;
  let y0 = -1;
  let y1 = -1;
  for (let y = 0; y < size; y++) {
    const base = planeOffset + y * size;
    let rowFirst = -1;
    let rowLast = -1;
    for (let x = 0; x < size; x++) {
      const value = logits[base + x] ?? NaN;
      if (value >= threshold) {
        if (value === Infinity) throw nonFiniteLogit(value);
        if (rowFirst < 0) rowFirst = x;
        rowLast = x;
      } else if (!(value > -Infinity)) {
        throw nonFiniteLogit(value);
      }
    }
    if (rowFirst >= 0) {
      if (y0 < 0) y0 = y;
      y1 = y;
      x0 = Math.min(x0, rowFirst);
      x1 = Math.max(x1, rowLast);
    }
  }
  return y0 < 0 ? undefined : { x0, y0, x1, y1 };
}

function nonFiniteLogit(value: number): InvalidInputError {
  return new InvalidInputError(
    `The SAM 2 decoder produced a non-finite mask logit (${value}). The segmenter model or its ` +
      `inputs are broken; on WebGPU, try the WASM backend.`,
  );
}
