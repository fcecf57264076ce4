/**
 * The completeness check after a project's fetch: does the mirror hold what Jira says the project
 * holds? A sync that silently missed issues must never end `completed`, whatever the server's
 * paging or `updated` resolution did.
 *
 * Both sides count the issues updated inside one window: from the lookback limit (if any) to a
 * whole minute `CURSOR_OVERLAP_MS` before the fetch began. Issues changed later were moving while
 * the sync ran (and search lags behind writes); the next sync's overlap re-reads and checks them.
 *
 * - Data Center's search `total` is exact; Cloud's approximate count is only a hint. When either
 *   disagrees with the mirror, or counting is unavailable, the project's id list decides (a sweep).
 * - The sweep also marks issues Jira no longer lists as deleted, and names the listed issues the
 *   mirror lacks; of those, only the ones updated inside the window count as lost.
 */
import type { PerformanceConfig, ProjectVerification } from '../shared/model.ts';
import { countMirrored, reconcileProjectIds } from '../store/issues.ts';
import { nowIso } from '../store/db.ts';
import { SyncError, toSyncError } from './errors.ts';
import { floorMinute, type IssueStamp } from './jira.ts';
import { CURSOR_OVERLAP_MS, countIfAvailable, type ProjectContext } from './projectSync.ts';

export interface VerificationWindow {
  fromMs: number | null;
  beforeMs: number;
}

/** Lookups of missing issues beyond this many are not made: that many missing is a loss whatever they hold. */
const MAX_LOOKUPS = 1000;

export function verificationWindow(config: PerformanceConfig, fetchStartedMs: number, nowMs: number = Date.now()): VerificationWindow {
  return {
    fromMs: config.lookbackDays > 0 ? floorMinute(nowMs - config.lookbackDays * 86_400_000) : null,
    beforeMs: floorMinute(fetchStartedMs - CURSOR_OVERLAP_MS),
  };
}

/**
 * Jira's count over the window, asked as the fetch starts (beside its first page, not after its
 * last: the window ends before the fetch began, so only issues changing meanwhile move it, which
 * a count after the fetch would miss as well). Null when the server cannot count.
 */
export function countWindow(ctx: ProjectContext, window: VerificationWindow): Promise<number | null> {
  return countIfAvailable(ctx, { projectKey: ctx.projectKey, fromMs: window.fromMs, toMs: window.beforeMs });
}

/**
 * Jira's count over the window (see countWindow) against the mirror's. Null when the server cannot
 * count; a `mismatch` here is not yet a verdict (see sweepCheck).
 */
export function countCheck(ctx: ProjectContext, window: VerificationWindow, jiraCount: number | null): ProjectVerification | null {
  if (jiraCount === null) return null;
  const mirrorCount = countMirrored(ctx.store, ctx.instanceId, ctx.projectKey, window.fromMs, window.beforeMs);
  const exact = ctx.client.countIsExact;
  return {
    result: jiraCount !== mirrorCount ? 'mismatch' : exact ? 'exact' : 'approximate',
    method: exact ? 'total' : 'approximate-count',
    jiraCount,
    mirrorCount,
    before: nowIso(window.beforeMs),
  };
}

export interface SweepOutcome {
  verification: ProjectVerification;
  /** Issues Jira lists (updated inside the window) that the mirror lacks. */
  lost: Array<IssueStamp | { id: string; key: null }>;
}

/** The exact check from the project's id list; marks what Jira no longer lists as deleted. */
export async function sweepCheck(ctx: ProjectContext, window: VerificationWindow): Promise<SweepOutcome> {
  const ids = await ctx.client.allIds(ctx.projectKey, ctx.stats, ctx.signal);
  const { missing, mirrored } = reconcileProjectIds(ctx.store, ctx.instanceId, ctx.projectKey, ids, ctx.detailId);
  const lost: SweepOutcome['lost'] = [];
  let outsideWindow = 0;
  if (missing.length > 0) {
    const looked = missing.slice(0, MAX_LOOKUPS);
    let stamps: IssueStamp[] | null = null;
    try {
      stamps = await ctx.client.lookup(looked, ctx.stats, ctx.signal);
    } catch (error) {
      // An issue deleted since the sweep makes Jira refuse the whole lookup: then all count as lost.
      if (ctx.signal.aborted || toSyncError(error).category === 'Authentication') throw error;
    }
    const found = new Map((stamps ?? []).map((stamp) => [stamp.id, stamp]));
    for (const id of looked) {
      const stamp = found.get(id);
      if (stamps !== null && !stamp)
        outsideWindow += 1; // gone since the sweep listed it
      else if (stamp && (stamp.updatedMs >= window.beforeMs || (window.fromMs !== null && stamp.updatedMs < window.fromMs)))
        outsideWindow += 1;
      else lost.push(stamp ?? { id, key: null });
    }
    for (const id of missing.slice(MAX_LOOKUPS)) lost.push({ id, key: null });
  }
  return {
    verification: {
      result: lost.length > 0 ? 'mismatch' : 'exact',
      method: 'sweep',
      jiraCount: ids.size - outsideWindow,
      mirrorCount: mirrored,
      before: nowIso(window.beforeMs),
    },
    lost,
  };
}

/** The failure a mismatch ends the project with: both counts, and the first issues missing. */
export function integrityFailure(projectKey: string, outcome: SweepOutcome): SyncError {
  const { verification, lost } = outcome;
  const named = lost.slice(0, 5).map((issue) => issue.key ?? `id ${issue.id}`);
  const more = lost.length > named.length ? ` and ${lost.length - named.length} more` : '';
  return new SyncError(
    'Integrity',
    `the mirror holds ${verification.mirrorCount} of the ${verification.jiraCount} issues Jira lists for ${projectKey} ` +
      `(updated before ${verification.before}); missing: ${named.join(', ')}${more}. The next sync re-reads the project.`,
  );
}
