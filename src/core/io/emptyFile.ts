import { FlowclasError } from '../errors';

/**
 * A file with no bytes at all (an interrupted copy, a placeholder), said plainly: decoders call
 * it damaged or of an unknown format, which sends the user looking for the wrong problem.
 */
export class EmptyFileError extends FlowclasError {
  constructor(readonly fileName: string) {
    super('empty-file', `${fileName} is empty (0 bytes).`);
    this.name = 'EmptyFileError';
  }
}

/** Throws EmptyFileError for a file of 0 bytes; call before decoding. */
export function refuseEmptyFile(byteLength: number, fileName: string): void {
  if (byteLength === 0) throw new EmptyFileError(fileName);
}
