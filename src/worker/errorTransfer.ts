/**
 * Comlink sends thrown errors as plain {name, message}; this keeps our error codes across the
 * worker boundary so the app can tell a manifest error from a failed download.
 */
import { transferHandlers, type TransferHandler } from 'comlink';
import { FlowclasError } from '../core/errors';

interface SerializedError {
  name: string;
  message: string;
  code?: string;
}

interface ThrownValue {
  value: unknown;
}

// Comlink marks thrown values with a private symbol; we recognise it by its description.
const isThrownValue = (value: unknown): value is ThrownValue =>
  typeof value === 'object' &&
  value !== null &&
  Object.getOwnPropertySymbols(value).some((symbol) => symbol.description === 'Comlink.thrown');

const throwHandler: TransferHandler<ThrownValue, SerializedError> = {
  canHandle: isThrownValue,
  serialize: ({ value }) => {
    const error =
      value instanceof Error
        ? {
            name: value.name,
            message: value.message,
            ...(value instanceof FlowclasError ? { code: value.code } : {}),
          }
        : { name: 'Error', message: String(value) };
    return [error, []];
  },
  deserialize: (serialized) => {
    const error = serialized.code
      ? new FlowclasError(serialized.code, serialized.message)
      : new Error(serialized.message);
    error.name = serialized.name;
    throw error;
  },
};

/** Call once in the worker and once on the page. */
export function installErrorTransfer(): void {
  transferHandlers.set('throw', throwHandler as TransferHandler<unknown, unknown>);
}
