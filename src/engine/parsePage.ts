/**
 * Turns one search response body (bytes) into store-ready issues: scanned and validated whole
 * (scanPage.ts), each issue's original JSON bytes kept as its raw copy, a content hash over them
 * (without the per-user `lastViewed`), and the description as plain text for full-text search.
 * The CPU-heavy step of a sync; it runs in the parse pool's threads where there are spare cores.
 */
import { createHash } from 'node:crypto';
import type { MirrorIssue } from '../store/issues.ts';
import type { Body } from './bodyBuffers.ts';
import { descriptionText } from './normalize.ts';
import { scanSearchPage, type ScannedIssue } from './scanPage.ts';

export interface ParsedPage {
  issues: MirrorIssue[];
  /** The envelope fields both flavours' paging needs (Cloud: nextPageToken/isLast; DC: total). */
  nextPageToken: unknown;
  isLast: unknown;
  total: unknown;
  /** CPU time the parse took, wherever it ran. */
  parseMs: number;
}

const decoder = new TextDecoder();

/** The issue's content hash: its bytes without the value of `lastViewed`. */
function contentHash(page: Uint8Array, issue: ScannedIssue): string {
  const hash = createHash('sha1');
  const skip = issue.lastViewed;
  if (skip) hash.update(page.subarray(issue.start, skip.start)).update(page.subarray(skip.end, issue.end));
  else hash.update(page.subarray(issue.start, issue.end));
  return hash.digest('base64url');
}

function description(page: Uint8Array, issue: ScannedIssue): string {
  const span = issue.description;
  if (!span) return '';
  return descriptionText(JSON.parse(decoder.decode(page.subarray(span.start, span.end))));
}

/** Parses one search response body; see scanSearchPage for which failures are worth a retry. */
export function parseSearchPage(body: Uint8Array): ParsedPage {
  const started = performance.now();
  const page = scanSearchPage(body);
  const issues = page.issues.map((issue): MirrorIssue => ({
    id: issue.id,
    key: issue.key,
    projectKey: issue.projectKey ?? issue.key.slice(0, issue.key.lastIndexOf('-')),
    summary: issue.summary,
    description: description(body, issue),
    status: issue.status,
    statusCategory: issue.statusCategory,
    issueType: issue.issueType,
    priority: issue.priority,
    assignee: issue.assignee,
    reporter: issue.reporter,
    created: Number.isFinite(issue.createdMs) ? new Date(issue.createdMs).toISOString() : null,
    updatedMs: issue.updatedMs,
    resolution: issue.resolution,
    labels: issue.labels,
    raw: body.subarray(issue.start, issue.end),
    contentHash: contentHash(body, issue),
  }));
  return { issues, nextPageToken: page.nextPageToken, isLast: page.isLast, total: page.total, parseMs: performance.now() - started };
}

/** A parsed page whose issues still read the response's buffer: `release` it once they are written. */
export type HeldPage = ParsedPage & { release(): void };

export type PageParser = (body: Body) => Promise<HeldPage>;

/** Parsing on the calling thread: for the probe, and wherever no pool is configured. */
export const parseInline: PageParser = async (body) => {
  try {
    return { ...parseSearchPage(body.bytes), release: body.release };
  } catch (error) {
    body.release();
    throw error;
  }
};
