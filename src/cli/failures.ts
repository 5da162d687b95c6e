import { FlowclasError } from '../core/errors';

/** A problem with how the CLI was called or with an input file; printed as one line. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** One line for the user; the stack only when FLOWCLAS_DEBUG is set. */
export function describeFailure(error: unknown): string {
  if (error instanceof FlowclasError || error instanceof CliError) return error.message;
  if (error instanceof Error) {
    return process.env.FLOWCLAS_DEBUG ? (error.stack ?? error.message) : error.message;
  }
  return String(error);
}
