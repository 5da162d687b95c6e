import { FlowclasError } from '../errors';
import type { InferenceSession } from './ort';

/**
 * A model that loaded but failed while running (an operator rejected the shapes one image
 * gives, out of memory, a lost GPU device). Other images may still work.
 */
export class ModelRunError extends FlowclasError {
  constructor(model: string, file: string, reason: string) {
    super('model-run', `The ${model} model (${file}) failed to run: ${reason}`);
    this.name = 'ModelRunError';
  }
}

/**
 * onnxruntime's message without its call wrapper and the C++ source location it starts with,
 * which mean nothing to the person at the screen.
 */
export function readableOrtMessage(message: string): string {
  return message
    .replace(/^failed to call OrtRun\(\)\. ERROR_CODE: \d+, ERROR_MESSAGE: /, '')
    .replace(/\S+\.(?:h|cc|cpp):\d+ [^(]*\([^)]*\) /, '')
    .trim();
}

type Run = (...args: Parameters<InferenceSession['run']>) => Promise<InferenceSession.ReturnType>;

/** Makes the session's run failures say which model failed, wherever the session is run. */
export function reportRunFailures(
  session: InferenceSession,
  model: string,
  file: string,
): InferenceSession {
  const run = session.run.bind(session) as Run;
  const reportingRun: Run = async (...args) => {
    try {
      return await run(...args);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ModelRunError(model, file, readableOrtMessage(reason));
    }
  };
  session.run = reportingRun as InferenceSession['run'];
  return session;
}
