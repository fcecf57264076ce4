/**
 * The sync engine's thread. The host (Electron main, the browser preview, the CLI) starts one per
 * run; it opens its own database connection (WAL lets the host keep reading) and reports the
 * run's changes and progress as messages. A `stop` message aborts in-flight requests.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ErrorCategory, Run, SyncProgress } from '../shared/model.ts';
import { openStore } from '../store/db.ts';
import { toSyncError } from './errors.ts';
import { runSync, type SyncPlan } from './syncManager.ts';

export interface EngineWorkerData {
  dbFile: string;
  migrationsFolder?: string;
  plan: SyncPlan;
  /** href of the parse pool's thread entry (URLs do not cross to a worker as objects). */
  parseWorkerHref?: string;
}

export type EngineMessage =
  { type: 'run'; run: Run } | { type: 'progress'; progress: SyncProgress } | { type: 'error'; message: string; category: ErrorCategory };

export type HostMessage = { type: 'stop' };

const port = parentPort;
if (!port) throw new Error('engine worker must run in a worker thread');
const data = workerData as EngineWorkerData;
const controller = new AbortController();
port.on('message', (message: HostMessage) => {
  if (message.type === 'stop') controller.abort();
});
const post = (message: EngineMessage) => port.postMessage(message);

const store = openStore({ file: data.dbFile, ...(data.migrationsFolder ? { migrationsFolder: data.migrationsFolder } : {}) });
try {
  await runSync(store, data.plan, controller.signal, {
    ...(data.parseWorkerHref ? { parseWorkerUrl: new URL(data.parseWorkerHref) } : {}),
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
