/**
 * Runs the host's long reads (reads.ts) on a worker thread with its own read connection, so that a
 * first full-text ranking or an export never holds up the thread that serves the UI (Electron's
 * main process, the preview's server). WAL lets it read beside the engine's writers; what the search keeps between
 * queries (the ranking of a text, issueRanking.ts) lives with this connection. Started by the first
 * read; a thread that stopped fails its pending reads and is started again by the next.
 */
import { Worker } from 'node:worker_threads';
import { ApiFailure } from './apiErrors.ts';
import type { ReadName, ReadInput, ReadOutput, Reads } from './reads.ts';
import type { ReadReply, ReadRequest, ReadWorkerData } from './readWorker.ts';

/** Run from source (CLI, preview, tests) the entry sits beside this file; the desktop bundle passes its own. */
export const DEFAULT_READ_WORKER_URL = import.meta.url.endsWith('.ts') ? new URL('./readWorker.ts', import.meta.url) : undefined;

interface Pending {
  resolve: (value: never) => void;
  reject: (error: Error) => void;
}

export class ReadThread implements Reads {
  readonly #workerUrl: URL;
  readonly #data: ReadWorkerData;
  readonly #pending = new Map<number, Pending>();
  #worker: Worker | null = null;
  #nextId = 0;

  constructor(workerUrl: URL, dbFile: string) {
    this.#workerUrl = workerUrl;
    this.#data = { dbFile };
  }

  read<K extends ReadName>(name: K, input: ReadInput<K>): Promise<ReadOutput<K>> {
    const worker = this.#worker ?? this.#start();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: never) => void, reject });
      worker.postMessage({ id, name, input } satisfies ReadRequest);
    });
  }

  #start(): Worker {
    // No heap cap: an export of a whole mirror builds its CSV here (200,000 issues: ~100 MB of heap in
    // use at its peak), and a worker that reaches a cap while it does can abort the whole process, not
    // only itself (with a 64 MB cap, in both of two tries: "FATAL ERROR: Reached heap limit").
    const worker = new Worker(this.#workerUrl, { workerData: this.#data });
    // An idle read thread must not keep a CLI or a test process alive; close() ends it.
    worker.unref();
    worker.on('message', (reply: ReadReply) => {
      const pending = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      if (!pending) return;
      if (reply.ok) pending.resolve(reply.value as never);
      else pending.reject(new ApiFailure(reply.error.code, reply.error.message));
    });
    const stopped = (reason: string) => {
      if (this.#worker !== worker) return;
      this.#worker = null;
      for (const pending of this.#pending.values()) pending.reject(new ApiFailure('INTERNAL', `the read thread stopped: ${reason}`));
      this.#pending.clear();
    };
    worker.on('error', (error) => stopped(error.message));
    worker.on('exit', (code) => stopped(`exit code ${code}`));
    this.#worker = worker;
    return worker;
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    if (!worker) return;
    await worker.terminate();
  }
}
