/**
 * The page thread: parses search pages and writes them, so that the engine thread keeps only HTTP
 * and orchestration and a sync uses two cores. SQLite takes one writer at a time, so one thread
 * does both: a parsed page stays there (its issues read that thread's copy of the bytes) and only
 * what paging needs comes back (ids, `updated`, the envelope); `commit` sends back which issues to
 * write. Measured on 2 cores: see the README's benchmarks (inline vs page thread, side by side).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { PageCounts } from '../store/runs.ts';
import { SyncError } from './errors.ts';
import { once, type HeldPage, type PageIssue, type PageParser, type PageTarget } from './parsePage.ts';
import type { PageWorkerData, PageWorkerReply, PageWorkerRequest, ParsedSummary } from './pageWorker.ts';

/**
 * On from 3 cores: a sync already keeps two threads busy (the engine's, and the UI's or the CLI's
 * main thread polling history), so on 2 cores the thread only competes for the same CPU and costs
 * memory (measured side by side by `npm run bench`). `JIRA_MIRROR_PAGE_THREAD=0` / `=1` overrides.
 */
export function pageThreadEnabled(env: NodeJS.ProcessEnv = process.env, cores: number = availableParallelism()): boolean {
  if (env.JIRA_MIRROR_PAGE_THREAD === '0') return false;
  if (env.JIRA_MIRROR_PAGE_THREAD === '1') return true;
  return cores >= 3;
}

/** A page is at most a few MB of JSON, and a few pages wait at a time: a small heap keeps memory flat. */
const PAGE_HEAP_LIMITS = { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 4 };

interface Pending {
  resolve: (reply: unknown) => void;
  reject: (error: Error) => void;
}

function threadFailed(reason: string): SyncError {
  // It is what writes the mirror: without it, the mirror cannot be written.
  return new SyncError('Database', `the page thread stopped: ${reason}`);
}

/** Positions of `kept` in `all`: `kept` is a subsequence of `all` (filtered or sliced, order kept). */
export function positionsOf(all: readonly PageIssue[], kept: readonly PageIssue[]): number[] {
  const positions: number[] = [];
  let at = 0;
  for (const issue of kept) {
    while (at < all.length && all[at] !== issue) at++;
    if (at === all.length) throw new Error(`issue ${issue.id} is not one of the page`);
    positions.push(at++);
  }
  return positions;
}

export class PageThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;
  #stopped: string | null = null;

  constructor(workerUrl: URL, data: PageWorkerData) {
    this.#worker = new Worker(workerUrl, { workerData: data, resourceLimits: PAGE_HEAP_LIMITS });
    this.#worker.on('message', (reply: PageWorkerReply) => {
      const pending = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      if (!pending) return;
      if (reply.ok) pending.resolve(reply.value);
      else pending.reject(new SyncError(reply.error.category, reply.error.message, { retryable: reply.error.retryable }));
    });
    const failAll = (reason: string) => {
      this.#stopped ??= reason;
      for (const pending of this.#pending.values()) pending.reject(threadFailed(reason));
      this.#pending.clear();
    };
    this.#worker.on('error', (error) => failAll(error.message));
    this.#worker.on('exit', (code) => failAll(`exit code ${code}`));
  }

  #request<T>(request: PageWorkerRequest): Promise<T> {
    // A stopped thread would never answer: fail at once instead of waiting forever.
    if (this.#stopped !== null) return Promise.reject(threadFailed(this.#stopped));
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(request.id, { resolve: resolve as (reply: unknown) => void, reject });
      this.#worker.postMessage(request);
    });
  }

  readonly parse: PageParser = async (body) => {
    const id = this.#nextId++;
    const releaseBody = once(body.release);
    let summary: ParsedSummary;
    try {
      // The thread gets a copy, so the response's (reused) buffer is free at once.
      const parsing = this.#request<ParsedSummary>({ type: 'parse', id, body: body.bytes });
      releaseBody();
      summary = await parsing;
    } finally {
      releaseBody();
    }
    const issues: PageIssue[] = summary.ids.map((issueId, i) => ({ id: issueId, updatedMs: summary.updatedMs[i]! }));
    let settled = false;
    const release = once(() => {
      if (!settled && this.#stopped === null)
        this.#worker.postMessage({ type: 'release', id: this.#nextId++, pageId: id } satisfies PageWorkerRequest);
    });
    return {
      issues,
      nextPageToken: summary.nextPageToken,
      isLast: summary.isLast,
      total: summary.total,
      parseMs: summary.parseMs,
      release,
      commit: (target: PageTarget, kept: readonly PageIssue[]) => {
        // The thread drops the page once it has written it (or failed to).
        settled = true;
        release();
        return this.#request<PageCounts>({ type: 'commit', id: this.#nextId++, pageId: id, target, positions: positionsOf(issues, kept) });
      },
    } satisfies HeldPage;
  };

  async close(): Promise<void> {
    this.#stopped ??= 'closed';
    await this.#worker.terminate();
  }
}
