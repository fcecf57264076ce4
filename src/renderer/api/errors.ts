import type { ErrorCode, Result } from '../../shared/contract.ts';

/** A failed call, carrying the contract's error code, message and (for VALIDATION) per-field messages. */
export class ApiCallError extends Error {
  readonly code: ErrorCode;
  readonly fields: Record<string, string>;

  constructor(code: ErrorCode, message: string, fields: Record<string, string> = {}) {
    super(message);
    this.name = 'ApiCallError';
    this.code = code;
    this.fields = fields;
  }
}

/** Returns the data of a successful Result, or throws an ApiCallError. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.data;
  throw new ApiCallError(result.error.code, result.error.message, result.error.fields);
}

/** A message fit for the UI, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiCallError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
