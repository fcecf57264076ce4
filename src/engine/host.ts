/**
 * Runs syncs off the calling thread: one engine worker per run, with its own database connection.
 * The host relays the worker's run updates and progress, stops it on request, and if the worker
 * dies without finishing its run, finalizes the run itself so nothing stays `running`.
 */
import { Worker } from 'node:worker_threads';
import type { Run, SyncProgress } from '../shared/model.ts';
import type { Store } from '../store/db.ts';
import { finalizeRun, getRun } from '../store/runs.ts';
import type { SyncPlan } from './syncManager.ts';
import type { EngineMessage, EngineWorkerData, HostMessage } from './worker.ts';

export const DEFAULT_ENGINE_WORKER_URL = new URL('./worker.ts', import.meta.url);
/** Run from source (CLI, preview, tests) the pool's entry sits beside this file; bundles pass their own. */
export const DEFAULT_PAGE_WORKER_URL = import.meta.url.endsWith('.ts') ? new URL('./pageWorker.ts', import.meta.url) : undefined;

/**
 * The engine churns through page-sized strings; left alone, V8 lets that garbage grow the heap to
 * hundreds of MB before collecting (measured: 540 MB peak RSS for 20k issues, 284 MB with these
 * caps, same speed). The largest page — 1,000 full Data Center issues, ~60 MB parsed — fits well.
 */
const ENGINE_HEAP_LIMITS = { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 8 };

/**
 * What the run says when the engine reached its heap cap: measured, a page of 1,000 Data Center
 * issues with 150,000 characters of text each does not fit, one of 100 such issues does, and so do
 * 1,000 at Jira's default text limit (32,767 characters) or at 60,000: a smaller page is what helps.
 */
const OUT_OF_MEMORY =
  'it ran out of memory on a page of very large issues: lower batch_size (Settings → Performance, or ' +
  '`jira-mirror config set performance batch_size=100`) and sync again';

function isOutOfMemory(error: Error): boolean {
  return (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
}

export interface SyncHostOptions {
  store: Store;
  workerUrl?: URL;
  /** The page thread's entry (pageWorker); undefined parses and writes pages on the engine thread. */
  pageWorkerUrl?: URL;
  migrationsFolder?: string;
  onRun: (run: Run) => void;
  onProgress: (progress: SyncProgress) => void;
  /**
   * A run's end, once its thread has exited (before `wait` resolves). The thread may still write
   * after its last run update (it merges the full-text index after a large run, holding the write
   * lock for seconds): work that writes on the host's thread belongs here, where it never waits
   * for that lock.
   */
  onFinished?: (run: Run) => void;
}

interface ActiveRun {
  runId: string;
  worker: Worker;
  done: Promise<Run>;
}

export class SyncHost {
  readonly #options: SyncHostOptions;
  #active: ActiveRun | null = null;
  readonly #finished = new Map<string, Promise<Run>>();

  constructor(options: SyncHostOptions) {
    this.#options = options;
  }

  get activeRunId(): string | null {
    return this.#active?.runId ?? null;
  }

  /** Starts a run; resolves once its `sync_runs` row exists. */
  start(plan: SyncPlan): Promise<string> {
    const pageWorkerUrl = this.#options.pageWorkerUrl ?? DEFAULT_PAGE_WORKER_URL;
    const data: EngineWorkerData = {
      dbFile: this.#options.store.file,
      plan,
      ...(this.#options.migrationsFolder ? { migrationsFolder: this.#options.migrationsFolder } : {}),
      ...(pageWorkerUrl ? { pageWorkerHref: pageWorkerUrl.href } : {}),
    };
    const worker = new Worker(this.#options.workerUrl ?? DEFAULT_ENGINE_WORKER_URL, {
      workerData: data,
      resourceLimits: ENGINE_HEAP_LIMITS,
    });
    let created: (() => void) | null = null;
    let failedToStart: ((error: Error) => void) | null = null;
    const started = new Promise<string>((resolve, reject) => {
      created = () => resolve(plan.runId);
      failedToStart = reject;
    });
    let lastError: { message: string; category: Run['errorCategory'] } | null = null;
    const done = new Promise<Run>((resolve, reject) => {
      worker.on('message', (message: EngineMessage) => {
        if (message.type === 'run') {
          created?.();
          this.#options.onRun(message.run);
        } else if (message.type === 'progress') {
          this.#options.onProgress(message.progress);
        } else {
          lastError = { message: message.message, category: message.category };
        }
      });
      worker.on('error', (error) => {
        lastError = { message: isOutOfMemory(error) ? OUT_OF_MEMORY : error.message, category: null };
      });
      worker.on('exit', () => {
        if (this.#active?.runId === plan.runId) this.#active = null;
        const run = getRun(this.#options.store, plan.runId);
        if (!run) {
          const error = new Error(lastError?.message ?? 'the sync engine stopped before the run started');
          failedToStart?.(error);
          return reject(error);
        }
        if (run.status !== 'running') return resolve(this.#finish(run));
        // The worker ended without finalizing (crash, out of memory): finish the run here.
        const final = finalizeRun(this.#options.store, plan.runId, {
          status: 'failed',
          errorMessage: `the sync engine stopped unexpectedly${lastError ? `: ${lastError.message}` : ''}`,
          errorCategory: lastError?.category ?? null,
        });
        this.#options.onRun(final);
        resolve(this.#finish(final));
      });
    });
    done.catch(() => {}); // surfaced through `started`; keeps close() from seeing an unhandled rejection
    this.#active = { runId: plan.runId, worker, done };
    this.#finished.set(plan.runId, done);
    return started;
  }

  #finish(run: Run): Run {
    try {
      this.#options.onFinished?.(run);
    } catch (error) {
      // The run is recorded whatever its follow-up work does.
      console.warn(`[sync] after run ${run.id}: ${String(error)}`);
    }
    return run;
  }

  stop(runId: string): boolean {
    if (this.#active?.runId !== runId) return false;
    this.#active.worker.postMessage({ type: 'stop' } satisfies HostMessage);
    return true;
  }

  /** The final run; for a run this host did not start, reads it once from the store. */
  async wait(runId: string): Promise<Run> {
    const done = this.#finished.get(runId);
    if (done) return done;
    const run = getRun(this.#options.store, runId);
    if (!run) throw new Error(`no run ${runId}`);
    return run;
  }

  async close(): Promise<void> {
    const active = this.#active;
    if (!active) return;
    this.stop(active.runId);
    await active.done.catch(() => undefined);
  }
}
