/**
 * How the History page folds live `runUpdated` events into the page it shows. Pure, so the rules
 * are unit-tested without a browser.
 */
import type { HistoryPage, Run } from '../../shared/model.ts';

export interface HistoryView extends HistoryPage {
  offset: number;
  pageSize: number;
  /** A status or date filter is active: new runs cannot simply be prepended. */
  filtered: boolean;
}

export interface RunUpdateOutcome {
  view: HistoryView;
  /** The run belongs to the history but not (knowably) to this page: offer a refresh. */
  newActivity: boolean;
}

function progressScore(run: Run): number {
  return run.totalIssues + run.successfulProjects + run.failedProjects;
}

/** Of two snapshots of the same run, the more advanced one (a finished run beats a running one). */
export function fresher(current: Run, incoming: Run): Run {
  const currentDone = current.status !== 'running';
  const incomingDone = incoming.status !== 'running';
  if (currentDone !== incomingDone) return incomingDone ? incoming : current;
  return progressScore(incoming) >= progressScore(current) ? incoming : current;
}

export function applyRunUpdate(view: HistoryView, run: Run): RunUpdateOutcome {
  const index = view.rows.findIndex((row) => row.id === run.id);
  if (index >= 0) {
    const existing = view.rows[index]!;
    const next = fresher(existing, run);
    if (next === existing) return { view, newActivity: false };
    const rows = view.rows.slice();
    rows[index] = next;
    return { view: { ...view, rows }, newActivity: false };
  }
  const newest = view.rows[0];
  const isNewest = !newest || run.startedAt >= newest.startedAt;
  if (view.offset === 0 && !view.filtered && isNewest) {
    const rows = [run, ...view.rows].slice(0, view.pageSize);
    return { view: { ...view, rows, total: view.total + 1 }, newActivity: false };
  }
  return { view, newActivity: true };
}

/** Folds the events that arrived while a page was loading into the loaded page. */
export function mergeLoaded(view: HistoryView, pending: Iterable<Run>): HistoryView {
  let merged = view;
  for (const run of pending) {
    const known = merged.rows.some((row) => row.id === run.id);
    // A run unknown to a freshly loaded page is either newer than the query (prepend on page 1)
    // or simply not on this page; never guess for filtered or later pages.
    if (known || (merged.offset === 0 && !merged.filtered)) merged = applyRunUpdate(merged, run).view;
  }
  return merged;
}
