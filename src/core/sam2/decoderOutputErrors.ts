import { firstNonFiniteIndex, nonFiniteModelOutputError } from '../checks';

/** A NaN or infinite decoder output means a broken model or backend, never a dropped candidate. */
export function nonFiniteLogitError(value: number) {
  return nonFiniteModelOutputError('The SAM 2 decoder', 'mask logit', value);
}

export function nonFiniteIouError(value: number) {
  return nonFiniteModelOutputError('The SAM 2 decoder', 'IoU prediction', value);
}

/** The first non-finite value of a plane; call only once one is known to be there. */
export function firstNonFinite(logits: Float32Array, planeOffset: number, planeSize: number) {
  return logits[firstNonFiniteIndex(logits, planeOffset, planeOffset + planeSize)] ?? NaN;
}
