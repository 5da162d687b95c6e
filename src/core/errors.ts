/**
 * Errors a user can act on. Every failure the core reports on purpose is a FlowclasError with a
 * stable `code` (for tests and UI decisions) and a message written for the person at the screen.
 */
export class FlowclasError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FlowclasError';
    this.code = code;
  }
}

/** Inputs whose sizes or shapes disagree (score map vs ground truth, mask vs score map, ...). */
export class ShapeMismatchError extends FlowclasError {
  constructor(message: string) {
    super('shape-mismatch', message);
    this.name = 'ShapeMismatchError';
  }
}

/** A value the pipeline cannot work with (NaN/Inf score, bad bin count, unknown label, ...). */
export class InvalidInputError extends FlowclasError {
  constructor(message: string) {
    super('invalid-input', message);
    this.name = 'InvalidInputError';
  }
}
