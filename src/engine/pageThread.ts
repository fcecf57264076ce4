/**
 * The page thread: writes the pages the engine thread has parsed, so that the engine thread keeps
 * HTTP, parsing and orchestration and never waits for SQLite. Parsing stays with the engine thread
 * because the next request needs what a page says (its token or its last issue): a response must
 * not wait behind another page's write. A commit sends the page's issues (their raw copies read one
 * copy of the response's bytes) and gets back its counts. Measured side by side with writing in
 * place: see the README's benchmarks.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { SyncError } from './errors.ts';
import type { WrittenPage } from './pageGroups.ts';
import { inlinePages, type PageParser } from './parsePage.ts';
import type { PageWorkerData, PageWorkerReply, PageWorkerRequest } from './pageWorker.ts';

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

/** A page is at most a few MB of JSON, and a few pages wait to be written: a small heap keeps memory flat. */
const PAGE_HEAP_LIMITS = { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 4 };

interface Pending {
  resolve: (reply: unknown) => void;
  reject: (error: Error) => void;
}

function threadFailed(reason: string): SyncError {
  // It is what writes the mirror: without it, the mirror cannot be written.
  return new SyncError('Database', `the page thread stopped: ${reason}`);
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

  /** Pages parsed on the calling thread and written by this one. */
  readonly pages: PageParser = inlinePages((commit) => this.#request<WrittenPage>({ id: this.#nextId++, commit }), true);

  async close(): Promise<void> {
    this.#stopped ??= 'closed';
    await this.#worker.terminate();
  }
}
