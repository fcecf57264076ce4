/**
 * The reads that may take long enough to hold up a host's thread — a first full-text ranking over a
 * large mirror takes 60–170 ms (README, "The UI's queries") — so that a host can run them on a read
 * thread with its own connection (readThread.ts) instead of its own. Each is a store function of an
 * already-validated input whose answer is plain data, so it crosses threads as it is.
 */
import type { Store } from '../store/db.ts';
import { getIssueFacets, searchIssues } from '../store/issueSearch.ts';

export const READS = { searchIssues, getIssueFacets } satisfies Record<string, (store: Store, input: never) => unknown>;

export type ReadName = keyof typeof READS;
export type ReadInput<K extends ReadName> = Parameters<(typeof READS)[K]>[1];
export type ReadOutput<K extends ReadName> = ReturnType<(typeof READS)[K]>;

/** Where a host's reads run: its own thread (the CLI's one-shot commands) or a ReadThread. */
export interface Reads {
  read<K extends ReadName>(name: K, input: ReadInput<K>): Promise<ReadOutput<K>>;
  close(): Promise<void>;
}

export function readsOnThisThread(store: Store): Reads {
  return {
    read: async (name, input) => (READS[name] as (store: Store, input: unknown) => never)(store, input),
    close: async () => {},
  };
}
