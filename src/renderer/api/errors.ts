import type { ErrorCode, Result } from '../../shared/contract.ts';

/** A failed call, carrying the contract's error code and message for display. */
export class ApiCallError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ApiCallError';
    this.code = code;
  }
}

/** Returns the data of a successful Result, or throws an ApiCallError. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.data;
  throw new ApiCallError(result.error.code, result.error.message);
}

/** A message fit for the UI, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiCallError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
