/**
 * The reads that may take long enough to hold up a host's thread — a first full-text ranking over a
 * large mirror takes 60–170 ms (README, "The UI's queries"), the dashboard or the trends of 90 days
 * over 20,000 runs ~30 ms, an export of a mirror seconds — so that a host can run them on a read
 * thread with its own connection (readThread.ts) instead of its own. Each is a store function of an
 * already-validated input whose answer is plain data, so it crosses threads as it is.
 */
import { issueSearchCsv, issuesCsv, runsCsv } from '../ops/exports.ts';
import type { IssueSearch } from '../shared/issues.ts';
import type { HistoryQuery } from '../shared/model.ts';
import type { Store } from '../store/db.ts';
import { getIssueFacets, searchIssues } from '../store/issueSearch.ts';
import type { IssueQuery } from '../store/issues.ts';
import { getDashboard, getRunTrends } from '../store/runHistory.ts';

/** What a CSV export is stamped with: the host's clock, which the read thread does not have. */
type Stamped<T> = T & { nowMs: number };

export const READS = {
  searchIssues,
  getIssueFacets,
  getRunTrends,
  getDashboard: (store: Store, query: Stamped<{ days: number; utcOffsetMinutes: number }>) => getDashboard(store, query),
  // The exports: a whole mirror's issues are seconds of work (200,000: 1–2 s, 20 MB of CSV).
  issuesCsv: (store: Store, { nowMs, ...query }: Stamped<IssueQuery>) => issuesCsv(store, query, nowMs),
  issueSearchCsv: (store: Store, { nowMs, ...search }: Stamped<Omit<IssueSearch, 'limit' | 'offset'>>) =>
    issueSearchCsv(store, search, nowMs),
  runsCsv: (store: Store, { nowMs, ...filter }: Stamped<Omit<HistoryQuery, 'limit' | 'offset'>>) => runsCsv(store, filter, nowMs),
} satisfies Record<string, (store: Store, input: never) => unknown>;

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
