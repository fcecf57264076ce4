/**
 * Upkeep of the full-text index after a sync. Every page's transaction adds a small segment to the
 * FTS5 index, which FTS5 merges level by level as they come (automerge): after a large sync the
 * index is still spread over a dozen or so segments, and looking one issue up in it (the browse
 * walk's text test) opens each of them — ~25 µs instead of ~5 µs on one segment at 200,000 issues.
 * FTS5's 'optimize' merges them into one, but it rewrites the whole index (~0.6 s at 200,000
 * issues): worth it only after a run that wrote a good share of the index. The index's change log
 * (`issue_text_changes`) is pruned after every run.
 */
import type { Store } from './db.ts';
import { RANK_LIMITS } from './issueRanking.ts';

/** Rows a run must write (created, updated or deleted), as a share of the live issues, for a merge. */
const OPTIMIZE_SHARE = 0.25;
/** Below this, the index is small enough that its segments do not matter. */
const OPTIMIZE_MIN_ROWS = 1000;

/** Merges the full-text index into one segment when `written` rows make it worth it; whether it did. */
export function optimizeIssueIndexAfter(store: Store, written: number): boolean {
  if (written < OPTIMIZE_MIN_ROWS) return false;
  if (written < liveIssues(store) * OPTIMIZE_SHARE) return false;
  store.statement(`INSERT INTO issues_fts (issues_fts) VALUES ('optimize')`).run();
  return true;
}

/**
 * Drops all but the newest `keep` entries of the index's change log: a ranking carried over more
 * changes than that is ranked again anyway, and one whose changes are no longer all recorded
 * notices (the log then starts after its generation). The newest entry always stays: it is the
 * generation, which must never go back.
 */
export function pruneIssueTextChanges(store: Store, keep = RANK_LIMITS.maxChanges): void {
  store
    .statement(`DELETE FROM issue_text_changes WHERE id <= (SELECT max(id) FROM issue_text_changes) - @keep`)
    .run({ keep: Math.max(1, keep) });
}

/**
 * Refreshes SQLite's statistics of `issues` (ANALYZE) once the live issues are a quarter more or
 * fewer than when they were last analyzed, or were never analyzed. Without them the planner cannot
 * tell that one instance and a few projects lead the facets index, and reads the whole index for a
 * filter on status or assignee instead of skipping through it (200,000 issues: a status filter
 * 20 → 8 ms, assignee and type 22 → 2 ms, a text with a status 116 → 76 ms). Exact statistics: a
 * sampled ANALYZE (`PRAGMA optimize`'s) misjudges the leading columns. ~0.3 s at 200,000 issues.
 * Whether it ran.
 */
export function analyzeIssuesIfChanged(store: Store): boolean {
  const live = liveIssues(store);
  if (live < OPTIMIZE_MIN_ROWS) return false;
  // sqlite_stat1 exists only once something was analyzed.
  const hasStats = store.statement(`SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'`).get() !== undefined;
  const analyzed = hasStats
    ? (store.sqlite.prepare(`SELECT stat FROM sqlite_stat1 WHERE idx = 'issues_live_facets_idx'`).get() as { stat: string } | undefined)
    : undefined;
  const rows = analyzed ? Number.parseInt(analyzed.stat, 10) : 0;
  if (rows > 0 && Math.abs(live - rows) < rows * OPTIMIZE_SHARE) return false;
  store.sqlite.exec('ANALYZE issues');
  return true;
}

/** The live mirrored issues, counted on the narrowest index that holds them all. */
function liveIssues(store: Store): number {
  return (
    store.statement(`SELECT COUNT(*) AS n FROM issues INDEXED BY issues_live_facets_idx WHERE deleted_at IS NULL`).get() as { n: number }
  ).n;
}
