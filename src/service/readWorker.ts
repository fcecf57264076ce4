/**
 * The read thread's entry (see readThread.ts): answers each read it is sent on its own connection,
 * with the value or the error as the contract carries it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ApiError } from '../shared/contract.ts';
import { connectStore, type Store } from '../store/db.ts';
import { toApiError } from './apiErrors.ts';
import { READS, type ReadName } from './reads.ts';

export interface ReadWorkerData {
  dbFile: string;
}

export interface ReadRequest {
  id: number;
  name: ReadName;
  input: unknown;
}

export type ReadReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: ApiError };

const port = parentPort;
if (!port) throw new Error('the read worker must run in a worker thread');
const store = connectStore((workerData as ReadWorkerData).dbFile);
// Only reads run here: a mistake that writes fails instead of racing the engine's writers.
store.sqlite.pragma('query_only = ON');

port.on('message', ({ id, name, input }: ReadRequest) => {
  let reply: ReadReply;
  try {
    reply = { id, ok: true, value: (READS[name] as (store: Store, input: unknown) => unknown)(store, input) };
  } catch (error) {
    reply = { id, ok: false, error: toApiError(error) };
  }
  port.postMessage(reply);
});
