/**
 * Threads that parse search pages, so the engine thread only does HTTP and SQLite writes. Parsing
 * and validating a page costs more CPU than writing it; with the pool both cores work on a sync.
 * Each request goes to the thread with the fewest pending pages.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { SyncError } from './errors.ts';
import type { PageParser, ParsedPage } from './parsePage.ts';
import type { ParseRequest, ParseResponse } from './parseWorker.ts';

/**
 * Threads beyond the two a sync always keeps busy (the engine thread, and the UI's or the CLI's main
 * thread): on 2 cores a pool only competes for the same CPU (measured: +5 % issues/s, +60 MB RSS), so
 * it starts at 3 cores. `JIRA_MIRROR_PARSE_THREADS` overrides (0 turns the pool off).
 */
export function parseThreads(env: NodeJS.ProcessEnv = process.env, cores: number = availableParallelism()): number {
  const override = Number(env.JIRA_MIRROR_PARSE_THREADS);
  if (env.JIRA_MIRROR_PARSE_THREADS !== undefined && Number.isInteger(override) && override >= 0) return Math.min(override, 16);
  return Math.max(0, Math.min(4, cores - 2));
}
/** A page is at most a few MB of JSON: a small heap keeps the threads' memory flat. */
const PARSE_HEAP_LIMITS = { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 8 };

interface Pending {
  resolve: (page: ParsedPage) => void;
  reject: (error: Error) => void;
}

interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Why the thread stopped (it failed to start, crashed or ran out of memory); null while it runs. */
  stopped: string | null;
}

function unparsed(reason: string): SyncError {
  return new SyncError('Validation', `a page could not be parsed: ${reason}`);
}

export class ParsePool {
  readonly #threads: Thread[];
  #nextId = 0;

  constructor(workerUrl: URL, size: number) {
    this.#threads = Array.from({ length: size }, () => {
      const thread: Thread = { worker: new Worker(workerUrl, { resourceLimits: PARSE_HEAP_LIMITS }), pending: new Map(), stopped: null };
      thread.worker.on('message', (response: ParseResponse) => {
        const pending = thread.pending.get(response.id);
        thread.pending.delete(response.id);
        if (!pending) return;
        if (response.ok) pending.resolve(response.page);
        else pending.reject(new SyncError(response.error.category, response.error.message, { retryable: response.error.retryable }));
      });
      const failAll = (reason: string) => {
        thread.stopped ??= reason;
        for (const pending of thread.pending.values()) pending.reject(unparsed(reason));
        thread.pending.clear();
      };
      thread.worker.on('error', (error) => failAll(error.message));
      thread.worker.on('exit', (code) => failAll(`the parse thread stopped (exit code ${code})`));
      return thread;
    });
  }

  readonly parse: PageParser = (body) => {
    const running = this.#threads.filter((t) => t.stopped === null);
    // A stopped thread would never answer: with none left, fail the page instead of waiting forever.
    if (running.length === 0) {
      body.release();
      return Promise.reject(unparsed(this.#threads[0]?.stopped ?? 'no parse thread'));
    }
    const thread = running.reduce((least, t) => (t.pending.size < least.pending.size ? t : least));
    const id = this.#nextId++;
    return new Promise<ParsedPage>((resolve, reject) => {
      thread.pending.set(id, { resolve, reject });
      // The thread gets a copy, so the response's (reused) buffer is free at once; the issues come
      // back reading the thread's copy, which the thread hands over whole.
      thread.worker.postMessage({ id, body: body.bytes } satisfies ParseRequest);
      body.release();
    }).then((page) => ({ ...page, release: () => {} }));
  };

  async close(): Promise<void> {
    await Promise.all(this.#threads.map((thread) => thread.worker.terminate()));
  }
}
