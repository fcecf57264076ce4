/**
 * Failure categories and secret-free messages. Every error the engine records is a SyncError:
 * a category the UI and analytics can group by, and a message that never carries a secret.
 */
import type { ErrorCategory } from '../shared/model.ts';

export class SyncError extends Error {
  readonly category: ErrorCategory;
  readonly status: number | null;
  /** Whether retrying the same request may succeed. */
  readonly retryable: boolean;

  constructor(category: ErrorCategory, message: string, options: { status?: number | null; retryable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'SyncError';
    this.category = category;
    this.status = options.status ?? null;
    this.retryable = options.retryable ?? false;
  }
}

/** Maps an HTTP status to the category a user can act on. */
export function categoryForStatus(status: number): ErrorCategory {
  if (status === 401) return 'Authentication';
  if (status === 403) return 'Authorization';
  if (status === 429) return 'RateLimit';
  if (status === 408 || status === 504) return 'Timeout';
  if (status >= 500) return 'Server';
  return 'Validation';
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}

/** Anything thrown becomes a SyncError; unknown errors keep their message under a best-guess category. */
export function toSyncError(error: unknown): SyncError {
  if (error instanceof SyncError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string } | null)?.code ?? (error as { cause?: { code?: string } } | null)?.cause?.code;
  if (error instanceof Error && error.name === 'AbortError') return new SyncError('Cancelled', 'the sync was stopped', { cause: error });
  if (code?.startsWith('SQLITE')) return new SyncError('Database', `database error: ${message}`, { cause: error });
  return new SyncError('Network', message, { retryable: true, cause: error });
}

/**
 * Removes secrets from text bound for the database, logs or the UI: the known secret values (and
 * their Basic-auth encodings), Authorization headers, and credentials embedded in URLs.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    out = out.split(secret).join('[redacted]');
  }
  return out
    .replace(/(authorization["']?\s*[:=]\s*["']?)(basic|bearer)\s+[\w+/=.~-]+/gi, '$1$2 [redacted]')
    .replace(/\b(basic|bearer)\s+[A-Za-z0-9+/=._~-]{12,}/gi, '$1 [redacted]')
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, '$1[redacted]@')
    .replace(/([?&](?:token|api_?key|access_token|password)=)[^&\s]+/gi, '$1[redacted]');
}
