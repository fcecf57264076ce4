/**
 * Turns one search response body (bytes) into store-ready issues: scanned and validated whole
 * (scanPage.ts), each issue's original JSON bytes kept as its raw copy, a content hash over them
 * (without the per-user `lastViewed`), and the description as plain text for full-text search.
 * Runs on the engine thread: the next request needs what the page says.
 */
import { createHash } from 'node:crypto';
import type { IssuePageCommit, MirrorIssue } from '../store/issues.ts';
import type { Body } from './bodyBuffers.ts';
import type { WrittenPage } from './pageGroups.ts';
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

/** What the engine reads of a parsed issue: paging, overlaps and cuts need no more. */
export interface PageIssue {
  id: string;
  updatedMs: number;
}

/** Where a page's issues go: the commit without its issues. */
export type PageTarget = Omit<IssuePageCommit, 'issues'>;

/**
 * A parsed page, held (its issues read the response's bytes) until it is written or given up:
 * written on the calling thread, or by the page thread (pageThread.ts).
 */
export interface HeldPage {
  issues: readonly PageIssue[];
  nextPageToken: unknown;
  isLast: unknown;
  total: unknown;
  parseMs: number;
  /** Writes `kept` (some of `issues`, in their order) in one transaction, then lets the page go. */
  commit(target: PageTarget, kept: readonly PageIssue[]): Promise<WrittenPage>;
  /** Lets the page go unwritten; harmless after `commit` or a second time. */
  release(): void;
}

export type PageParser = (body: Body) => Promise<HeldPage>;

/** `fn` on the first call only. */
export function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

/**
 * Pages parsed on the calling thread and written by `write`: in place (grouped, see pageGroups.ts),
 * or handed to the page thread (`copied`: it copies the bytes as it is called, so the body is free
 * once `write` returns; written in place, the issues' raw copies read the body until the write is
 * done); null for pages that are only read (the probe, the dry run), whose commit is refused.
 */
export function inlinePages(write: ((commit: IssuePageCommit) => Promise<WrittenPage>) | null, copied = false): PageParser {
  return async (body) => {
    const release = once(body.release);
    try {
      const page = parseSearchPage(body.bytes);
      return {
        ...page,
        release,
        commit: async (target, kept) => {
          try {
            if (!write) throw new Error('a page read to estimate a sync is never written');
            // `kept` holds this page's own issues, which are MirrorIssues here.
            const written = write({ ...target, issues: kept as MirrorIssue[] });
            if (copied) release();
            return await written;
          } finally {
            release();
          }
        },
      };
    } catch (error) {
      release();
      throw error;
    }
  };
}

/** For reading pages without writing them (the probe). */
export const readOnlyPages = inlinePages(null);
