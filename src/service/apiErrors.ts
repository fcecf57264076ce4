/**
 * Errors as the contract carries them: `{code, message, fields?}` values. A handler throws an
 * ApiFailure (or a known domain error); dispatch turns whatever was thrown into an ApiError.
 */
import { ZodError } from 'zod';
import type { ApiError } from '../shared/contract.ts';
import { snakeName } from '../shared/settings.ts';
import { redact } from '../engine/errors.ts';
import { DuplicateInstanceError } from '../store/instances.ts';
import { SecretUnavailableError } from './secrets.ts';

/** A call failed for a reason the caller can act on; crosses transports as `{code, message}`. */
export class ApiFailure extends Error {
  readonly code: ApiError['code'];
  constructor(code: ApiError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

export function notFound(message: string): never {
  throw new ApiFailure('NOT_FOUND', message);
}

/**
 * One line for people. A message that already names its field (every setting's does, by the name
 * users type: `max_workers must be …`, `details_days must be …`) is not prefixed with the contract's path.
 */
export function describeZodError(error: ZodError): string {
  return error.issues.map(describeIssue).join('; ');
}

function describeIssue(issue: ZodError['issues'][number]): string {
  const field = issue.path.at(-1);
  const names = typeof field === 'string' ? [field, snakeName(field)] : [];
  if (issue.path.length === 0 || names.some((name) => issue.message.startsWith(`${name} `))) return issue.message;
  return `${issue.path.join('.')}: ${issue.message}`;
}

/** A validation failure as a contract error: the line, and each field's own message keyed by its path. */
export function validationError(error: ZodError): ApiError {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issue.path.join('.');
    if (path && !(path in fields)) fields[path] = issue.message;
  }
  return { code: 'VALIDATION', message: describeZodError(error), ...(Object.keys(fields).length > 0 ? { fields } : {}) };
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiFailure) return { code: error.code, message: error.message };
  if (error instanceof ZodError) return validationError(error);
  if (error instanceof DuplicateInstanceError) return { code: 'CONFLICT', message: error.message };
  if (error instanceof SecretUnavailableError) return { code: 'UNAVAILABLE', message: error.message };
  return { code: 'INTERNAL', message: redact(error instanceof Error ? error.message : String(error)) };
}
