/** Test support: seeded random inputs, so random test data is the same on every run. */
import { seededRandom } from '../numeric';

export { maxAbsDifference, seededRandom } from '../numeric';

/** Standard normal draws (Box–Muller). */
export function seededNormal(seed: number): () => number {
  const uniform = seededRandom(seed);
  return () => {
    const u = 1 - uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}

export function randomFloat32(length: number, seed: number, low = 0, high = 1): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length }, () => low + (high - low) * random());
}

export function randomUint8(length: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  return Uint8Array.from({ length }, () => Math.floor(random() * 256));
}
