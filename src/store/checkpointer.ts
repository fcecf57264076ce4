/**
 * Checkpointing the write-ahead log from a thread of its own while a sync writes. A checkpoint
 * copies the log back into the database file and waits for the disk twice (fsync); done by the
 * writing connection, it stalls the sync for that long every ~16 MB written (measured: more than
 * half of the writer's wall time per issue). Here the writer only appends; this thread copies.
 */
import Database from 'better-sqlite3';
import { Worker, type MessagePort } from 'node:worker_threads';

/** How often the thread copies what was committed since (passive: it never blocks the writer). */
const INTERVAL_MS = 250;

export interface CheckpointerData {
  role: 'checkpointer';
  dbFile: string;
}

export interface Checkpointer {
  stop(): Promise<void>;
}

/** Starts the thread from `entry` (a worker entry that runs `checkpointUntilStopped` for this role). */
export function startCheckpointer(entry: URL, dbFile: string): Checkpointer {
  const worker = new Worker(entry, {
    workerData: { role: 'checkpointer', dbFile } satisfies CheckpointerData,
    resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 },
  });
  worker.on('error', () => {});
  worker.unref();
  return {
    stop: async () => {
      worker.postMessage('stop');
      await new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        setTimeout(() => void worker.terminate().then(() => resolve()), 2000).unref();
      });
    },
  };
}

/** The thread's loop: a passive checkpoint every INTERVAL_MS, a last one when told to stop. */
export function checkpointUntilStopped(dbFile: string, port: MessagePort): void {
  const db = new Database(dbFile);
  db.pragma('busy_timeout = 1000');
  const checkpoint = () => {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Busy or locked for a moment: the next round copies it.
    }
  };
  const timer = setInterval(checkpoint, INTERVAL_MS);
  port.on('message', () => {
    clearInterval(timer);
    checkpoint();
    db.close();
    port.close();
  });
}
