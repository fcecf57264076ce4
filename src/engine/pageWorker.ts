/**
 * The page thread's entry (see pageThread.ts): parses each search page it is sent, keeps the
 * parsed issues until the engine says which of them to write, and writes them in one transaction
 * on its own connection.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ErrorCategory } from '../shared/model.ts';
import { connectStore } from '../store/db.ts';
import { createIssueWriter, type MirrorIssue } from '../store/issues.ts';
import { toSyncError } from './errors.ts';
import { parseSearchPage } from './parsePage.ts';
import type { PageTarget } from './parsePage.ts';

export interface PageWorkerData {
  dbFile: string;
  /** wal_autocheckpoint for this connection (a checkpointer thread may do the copying instead). */
  autocheckpointPages: number;
}

export type PageWorkerRequest =
  | { type: 'parse'; id: number; body: Uint8Array }
  | { type: 'commit'; id: number; pageId: number; target: PageTarget; positions: number[] }
  | { type: 'release'; id: number; pageId: number };

/** What the engine needs of a parsed page. */
export interface ParsedSummary {
  ids: string[];
  updatedMs: number[];
  nextPageToken: unknown;
  isLast: unknown;
  total: unknown;
  parseMs: number;
}

export type PageWorkerReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { category: ErrorCategory; message: string; retryable: boolean } };

const port = parentPort;
if (!port) throw new Error('the page worker must run in a worker thread');
const data = workerData as PageWorkerData;
const store = connectStore(data.dbFile);
store.sqlite.pragma(`wal_autocheckpoint = ${data.autocheckpointPages}`);
const writer = createIssueWriter(store);
const held = new Map<number, MirrorIssue[]>();

function answer(id: number, work: () => unknown): void {
  try {
    port!.postMessage({ id, ok: true, value: work() } satisfies PageWorkerReply);
  } catch (error) {
    const failure = toSyncError(error);
    port!.postMessage({
      id,
      ok: false,
      error: { category: failure.category, message: failure.message, retryable: failure.retryable },
    } satisfies PageWorkerReply);
  }
}

port.on('message', (request: PageWorkerRequest) => {
  if (request.type === 'release') {
    held.delete(request.pageId);
    return;
  }
  if (request.type === 'parse') {
    answer(request.id, (): ParsedSummary => {
      const page = parseSearchPage(request.body);
      held.set(request.id, page.issues);
      return {
        ids: page.issues.map((issue) => issue.id),
        updatedMs: page.issues.map((issue) => issue.updatedMs),
        nextPageToken: page.nextPageToken,
        isLast: page.isLast,
        total: page.total,
        parseMs: page.parseMs,
      };
    });
    return;
  }
  answer(request.id, () => {
    const issues = held.get(request.pageId);
    held.delete(request.pageId);
    if (!issues) throw new Error(`page ${request.pageId} is not held`);
    return writer.commit({ ...request.target, issues: request.positions.map((position) => issues[position]!) });
  });
});
