import { InvalidInputError } from '../errors';

/** Zero padding of one axis up to a multiple of the patch size. */
export interface AxisPadding {
  padded: number;
  before: number;
  after: number;
}

/** pad = ceil(n/P)·P − n, before = floor(pad/2), after = the rest (pipeline.md §1). */
export function planAxisPadding(length: number, patchSize: number): AxisPadding {
  if (!Number.isInteger(length) || length < 1) {
    throw new InvalidInputError(`An image side must be a positive whole number (got ${length}).`);
  }
  if (!Number.isInteger(patchSize) || patchSize < 1) {
    throw new InvalidInputError(
      `The patch size must be a positive whole number (got ${patchSize}).`,
    );
  }
  const padded = Math.ceil(length / patchSize) * patchSize;
  const before = Math.floor((padded - length) / 2);
  return { padded, before, after: padded - length - before };
}
