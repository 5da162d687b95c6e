/** `.npy` arrays in and out of the core's map types, via the npyjs codec. */
import { dump, parse, type NpyArray } from 'npyjs';
import { InvalidInputError, ShapeMismatchError } from '../errors';
import type { LabelMap, PixelMask, ScoreMap } from '../types';

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** Parses `.npy` bytes; `source` names the file in error messages. */
export function decodeNpy(bytes: Uint8Array, source: string): NpyArray {
  let array: NpyArray;
  try {
    array = parse(toArrayBuffer(bytes));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidInputError(`${source}: not a readable .npy file (${reason}).`);
  }
  if (array.fortranOrder) {
    throw new InvalidInputError(
      `${source}: Fortran-ordered arrays are not supported; save it with np.ascontiguousarray(x).`,
    );
  }
  return array;
}

/** Drops leading axes of length 1, so [1, 1, H, W] and [H, W] read the same. */
function squeezeLeading(shape: readonly number[], keep: number): number[] {
  const squeezed = [...shape];
  while (squeezed.length > keep && squeezed[0] === 1) squeezed.shift();
  return squeezed;
}

function describeShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** A float score map `[H, W]` (leading 1-axes allowed); float64/float16 are converted to float32. */
export function scoreMapFromNpy(array: NpyArray, source: string): ScoreMap {
  if (array.dtype !== 'f4' && array.dtype !== 'f8' && array.dtype !== 'f2') {
    throw new InvalidInputError(
      `${source}: scores must be a float array (float32 or float64), got dtype ${array.dtype}.`,
    );
  }
  const shape = squeezeLeading(array.shape, 2);
  if (shape.length !== 2) {
    throw new ShapeMismatchError(
      `${source}: scores must have shape [H, W], got ${describeShape(array.shape)}.`,
    );
  }
  const [height, width] = shape as [number, number];
  const data =
    array.data instanceof Float32Array
      ? array.data
      : Float32Array.from(array.data as unknown as ArrayLike<number>);
  return { width, height, data };
}

const integerDtypes = new Set(['u1', 'i1', 'u2', 'i2', 'u4', 'i4', 'b1']);

function integerValues(array: NpyArray, source: string, role: string): ArrayLike<number> {
  if (!integerDtypes.has(array.dtype)) {
    throw new InvalidInputError(
      `${source}: ${role} must be an integer or bool array, got dtype ${array.dtype}.`,
    );
  }
  // Every dtype admitted above decodes to a number-valued typed array.
  return array.data as unknown as ArrayLike<number>;
}

/** Ground-truth labels `[H, W]`: 0 inlier, 1 anomaly, 255 ignore. */
export function labelMapFromNpy(array: NpyArray, source: string): LabelMap {
  const values = integerValues(array, source, 'ground truth');
  const shape = squeezeLeading(array.shape, 2);
  if (shape.length !== 2) {
    throw new ShapeMismatchError(
      `${source}: ground truth must have shape [H, W], got ${describeShape(array.shape)}.`,
    );
  }
  const [height, width] = shape as [number, number];
  return { width, height, data: Uint8Array.from(values) };
}

/** A mask stack `[K, H, W]` (or one mask `[H, W]`), nonzero = inside, in processing order. */
export function maskStackFromNpy(array: NpyArray, source: string): PixelMask[] {
  const values = integerValues(array, source, 'masks');
  const shape = array.shape.length === 2 ? [1, ...array.shape] : array.shape;
  if (shape.length !== 3) {
    throw new ShapeMismatchError(
      `${source}: masks must have shape [K, H, W], got ${describeShape(array.shape)}.`,
    );
  }
  const [count, height, width] = shape as [number, number, number];
  const planeSize = height * width;
  const masks: PixelMask[] = [];
  const scratch = new Uint32Array(planeSize);
  for (let k = 0; k < count; k++) {
    let size = 0;
    const offset = k * planeSize;
    for (let i = 0; i < planeSize; i++) {
      if (values[offset + i] !== 0) scratch[size++] = i;
    }
    masks.push({ width, height, pixels: scratch.slice(0, size) });
  }
  return masks;
}

/** float32 `[H, W]` `.npy` bytes of a score map. */
export function scoreMapToNpy(scoreMap: ScoreMap): Uint8Array {
  return new Uint8Array(dump(scoreMap.data, [scoreMap.height, scoreMap.width]));
}
