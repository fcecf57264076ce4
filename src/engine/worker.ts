/**
 * The sync engine's thread. The host (Electron main, the browser preview, the CLI) starts one per
 * run; it opens its own database connection (WAL lets the host keep reading) and reports the
 * run's changes and progress as messages. A `stop` message aborts in-flight requests.
 *
 * The same entry also runs the run's checkpointer thread (role `checkpointer`), so that the
 * desktop bundle needs no further entry; what each role needs is loaded only in its thread.
 */
import { enableCompileCache } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type { ErrorCategory, Run, SyncProgress } from '../shared/model.ts';
import type { CheckpointerData } from '../store/checkpointer.ts';
import type { SyncPlan } from './syncManager.ts';

export interface EngineWorkerData {
  dbFile: string;
  migrationsFolder?: string;
  plan: SyncPlan;
  /** href of the page thread's entry (URLs do not cross to a worker as objects). */
  pageWorkerHref?: string;
}

export type EngineMessage =
  { type: 'run'; run: Run } | { type: 'progress'; progress: SyncProgress } | { type: 'error'; message: string; category: ErrorCategory };

export type HostMessage = { type: 'stop' };

const port = parentPort;
if (!port) throw new Error('engine worker must run in a worker thread');
// Each run loads the engine afresh in a new thread: the on-disk compile cache (a thread does not
// inherit its host's) makes that load shorter, so the first request goes out sooner.
enableCompileCache?.();
const role = workerData as EngineWorkerData | CheckpointerData;

if ('role' in role) {
  const { checkpointUntilStopped } = await import('../store/checkpointer.ts');
  checkpointUntilStopped(role.dbFile, port);
} else {
  const data = role;
  const [{ openStore }, { toSyncError }, { runSync }] = await Promise.all([
    import('../store/db.ts'),
    import('./errors.ts'),
    import('./syncManager.ts'),
  ]);
  const controller = new AbortController();
  port.on('message', (message: HostMessage) => {
    if (message.type === 'stop') controller.abort();
  });
  const post = (message: EngineMessage) => port.postMessage(message);
  const store = openStore({ file: data.dbFile, ...(data.migrationsFolder ? { migrationsFolder: data.migrationsFolder } : {}) });
  try {
    await runSync(store, data.plan, controller.signal, {
      ...(data.pageWorkerHref ? { pageWorkerUrl: new URL(data.pageWorkerHref) } : {}),
      checkpointerEntry: new URL(import.meta.url),
      onRun: (run) => post({ type: 'run', run }),
      onProgress: (progress) => post({ type: 'progress', progress }),
    });
  } catch (error) {
    const failure = toSyncError(error);
    post({ type: 'error', message: failure.message, category: failure.category });
  } finally {
    store.close();
    port.close();
  }
}
