import { firstNonFiniteIndex } from '../checks';
import { InvalidInputError } from '../errors';

/** A NaN or infinite decoder output means a broken model or backend, never a dropped candidate. */
export function nonFiniteLogitError(value: number): InvalidInputError {
  return new InvalidInputError(
    `The SAM 2 decoder produced a non-finite mask logit (${value}). The segmenter model or its ` +
      `inputs are broken; on WebGPU, try the WASM backend.`,
  );
}

export function nonFiniteIouError(value: number): InvalidInputError {
  return new InvalidInputError(
    `The SAM 2 decoder produced a non-finite IoU prediction (${value}). ` +
      `The segmenter model or its inputs are broken; on WebGPU, try the WASM backend.`,
  );
}

/** The first non-finite value of a plane; call only once one is known to be there. */
export function firstNonFinite(logits: Float32Array, planeOffset: number, planeSize: number) {
  return logits[firstNonFiniteIndex(logits, planeOffset, planeOffset + planeSize)] ?? NaN;
}
