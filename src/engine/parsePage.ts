/**
 * Parsing a search response: JSON, the paging envelope, and every issue normalized and validated
 * (`normalizePage`). The most CPU-heavy step of a sync, so it runs in the parse pool's threads.
 */
import type { NormalizedIssue } from '../store/issues.ts';
import { SyncError } from './errors.ts';
import { normalizePage } from './normalize.ts';

export interface ParsedPage {
  issues: NormalizedIssue[];
  /** The envelope fields both flavours' paging needs (Cloud: nextPageToken/isLast; DC: total). */
  nextPageToken: unknown;
  isLast: unknown;
  total: unknown;
  /** CPU time the parse took, wherever it ran. */
  parseMs: number;
}

/** Parses one search response body; a body that is not JSON is worth retrying, a malformed page is not. */
export function parseSearchPage(text: string): ParsedPage {
  const started = performance.now();
  let body: { issues?: unknown; nextPageToken?: unknown; isLast?: unknown; total?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new SyncError('Validation', `Jira sent a search response that is not valid JSON (${text.length} bytes)`, { retryable: true });
  }
  const issues = normalizePage(body.issues);
  return { issues, nextPageToken: body.nextPageToken, isLast: body.isLast, total: body.total, parseMs: performance.now() - started };
}

export type PageParser = (text: string) => Promise<ParsedPage>;

/** Parsing on the calling thread: for the probe, and wherever no pool is configured. */
export const parseInline: PageParser = async (text) => parseSearchPage(text);
