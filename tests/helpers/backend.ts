/** A Backend on a fresh temp database, closed and removed after each test; and a call's data or its error. */
import { afterEach } from 'vitest';
import type { Backend } from '../../src/service/backend.ts';
import { openBackend } from '../../src/service/openBackend.ts';
import type { Initiator } from '../../src/shared/model.ts';
import { tempDir } from './tempDb.ts';

let cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

export function tempBackend(initiator: Initiator): Backend {
  const temp = tempDir();
  const opened = openBackend({ dbFile: temp.dbFile, initiator, env: {} });
  cleanups.push(temp.cleanup, () => opened.close());
  return opened;
}

/** The call's data; a failed call throws with its code and message. */
export async function data<T>(b: Backend, name: string, input: unknown): Promise<T> {
  const result = await b.dispatch(name, input);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.data as T;
}
