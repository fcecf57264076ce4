/**
 * Syncing one project: page its work units (plan.ts chooses them), committing one transaction per
 * page, while workers that run out of work split the largest range still being read. Checking
 * what was fetched is verify.ts's job.
 */
import type { PerformanceConfig } from '../shared/model.ts';
import type { Store } from '../store/db.ts';
import type { createIssueWriter } from '../store/issues.ts';
import { completeSlices, getSlices, markSliceDone, splitSlice } from '../store/slices.ts';
import { getProjectCursor } from '../store/instances.ts';
import { toSyncError, type SyncError } from './errors.ts';
import type { RequestStats } from './http.ts';
import { sleep } from './http.ts';
import { floorMinute, MINUTE_MS, type JiraClient, type SearchQuery } from './jira.ts';

/** Re-reading overlaps the cursor by this much: search lags behind writes and JQL users think in minutes. */
export const CURSOR_OVERLAP_MS = 5 * 60_000;
/** A range is split for an idle worker only while it has at least this many pages left to read. */
const MIN_PAGES_TO_SPLIT = 4;

export interface WorkUnit {
  /** null: the whole project, advancing the project's own cursor page by page. */
  sliceId: number | null;
  /** `toMs` may be lowered while the unit runs: a split hands the rest of its range to another unit. */
  query: SearchQuery;
  /** Issues the unit is expected to hold (from planning counts; 0 when unknown: never split). */
  expected: number;
  /** Issues it has read so far, and the `updated` instant of the last one. */
  read: number;
  lastUpdatedMs: number | null;
  /** Where its range starts, for splitting (its `fromMs`, or the project's oldest issue for the first range). */
  spanFromMs: number | null;
}

/** What an instance's server turned out not to offer, learned once per run and shared by its projects. */
export interface InstanceCapabilities {
  /** Why counting issues failed (the first failure's message), or null while it works. */
  countUnavailable: string | null;
}

export interface ProjectContext {
  store: Store;
  writer: ReturnType<typeof createIssueWriter>;
  client: JiraClient;
  capabilities: InstanceCapabilities;
  /** Records a notice on the run (the same text once). */
  notice: (text: string) => void;
  runId: string;
  instanceId: string;
  instanceName: string;
  projectKey: string;
  detailId: number;
  getConfig: () => PerformanceConfig;
  stats: RequestStats;
  signal: AbortSignal;
  /** Called after each committed page with its issue count, and with a total when one becomes known. */
  onPage: (issues: number) => void;
  onExpected: (total: number) => void;
}

/**
 * Whether a failed call says the server does not offer it (a proxy's or an older site's 404, a
 * refusal, a malformed answer), as opposed to a rate limit, an outage or bad credentials, which
 * the sync must report whatever call met them.
 */
export function meansUnavailable(failure: SyncError): boolean {
  if (failure.status !== null) return [400, 403, 404, 405, 410, 501].includes(failure.status);
  return failure.category === 'Validation' && !failure.retryable;
}

/**
 * Counting only plans and shows progress. A server that cannot count (a proxy or restricted site
 * answering 404 on Cloud's approximate-count) is synced unsplit, without expected totals, and
 * checked against its id lists instead: noted once per run, never a failure.
 */
export async function countIfAvailable(ctx: ProjectContext, query: SearchQuery): Promise<number | null> {
  if (ctx.capabilities.countUnavailable !== null) return null;
  try {
    return await ctx.client.count(query, ctx.stats, ctx.signal);
  } catch (error) {
    const failure = toSyncError(error);
    if (ctx.signal.aborted || !meansUnavailable(failure)) throw error;
    ctx.capabilities.countUnavailable = failure.message;
    ctx.notice(
      `${ctx.instanceName}: Jira could not count issues (${failure.message}); its projects were synced without ` +
        'splitting or expected totals, and checked against their id lists',
    );
    return null;
  }
}

/**
 * Pages one unit to its end; each page is validated whole, then committed in one transaction. When
 * a split lowered the unit's upper bound, its query starts again from the minute of the last issue
 * read (Cloud's page tokens belong to one query), leaving out what was already read of that minute.
 */
export async function runUnit(ctx: ProjectContext, unit: WorkUnit): Promise<void> {
  let position: string | null = null;
  let bound = unit.query.toMs;
  let query = unit.query;
  // The ids read within the minute of the last issue read: what a restarted query reads again.
  let lastMinute: number | null = null;
  let readInLastMinute = new Set<string>();
  let restarted = false;
  let first = true;
  do {
    if (!first) await sleep(ctx.getConfig().rateLimitPause * 1000, ctx.signal);
    first = false;
    if (unit.query.toMs !== bound) {
      bound = unit.query.toMs;
      query = { ...unit.query, fromMs: lastMinute ?? unit.query.fromMs };
      position = null;
      restarted = true;
    }
    const page = await ctx.client.search(query, ctx.getConfig().batchSize, position, ctx.stats, ctx.signal);
    ctx.stats.parseMs += page.parseMs;
    // A split while this page was on its way: what lies above the new bound is the other unit's.
    const upper = unit.query.toMs;
    const issues = page.issues.filter(
      (issue) => !(restarted && readInLastMinute.has(issue.id)) && (upper === null || issue.updatedMs < upper),
    );
    const writing = performance.now();
    try {
      ctx.writer.commit({
        instanceId: ctx.instanceId,
        projectKey: ctx.projectKey,
        runId: ctx.runId,
        projectDetailId: ctx.detailId,
        sliceId: unit.sliceId,
        issues,
      });
    } finally {
      page.release();
    }
    ctx.stats.writeMs += performance.now() - writing;
    for (const issue of issues) {
      const minute = floorMinute(issue.updatedMs);
      if (minute !== lastMinute) {
        lastMinute = minute;
        readInLastMinute = new Set();
      }
      readInLastMinute.add(issue.id);
    }
    unit.read += issues.length;
    if (issues.length > 0) unit.lastUpdatedMs = issues.at(-1)!.updatedMs;
    if (page.total !== null && unit.sliceId === null && position === null && !restarted) ctx.onExpected(page.total);
    ctx.onPage(issues.length);
    position = page.next;
  } while (position !== null || unit.query.toMs !== bound);
  if (unit.sliceId !== null) markSliceDone(ctx.store, unit.sliceId);
}

/**
 * Lowers the upper bound of the unit with the most work left to the middle of what it has not
 * read yet, and returns a new unit for the other half; null when no unit is worth splitting.
 */
export function splitLargest(ctx: ProjectContext, units: Iterable<WorkUnit>): WorkUnit | null {
  const minimum = MIN_PAGES_TO_SPLIT * ctx.getConfig().batchSize;
  let largest: WorkUnit | null = null;
  for (const unit of units) {
    if (unit.sliceId === null || unit.expected - unit.read < minimum) continue;
    if (!largest || unit.expected - unit.read > largest.expected - largest.read) largest = unit;
  }
  if (!largest) return null;
  const from = largest.lastUpdatedMs !== null ? floorMinute(largest.lastUpdatedMs) + MINUTE_MS : largest.spanFromMs;
  const to = largest.query.toMs ?? floorMinute(Date.now()) + MINUTE_MS;
  if (from === null || to - from < 2 * MINUTE_MS) return null;
  const middle = floorMinute(from + (to - from) / 2);
  const remaining = largest.expected - largest.read;
  const upper = Math.round((remaining * (to - middle)) / (to - from));
  const sliceId = splitSlice(ctx.store, largest.sliceId!, middle);
  const split: WorkUnit = {
    sliceId,
    query: { projectKey: ctx.projectKey, fromMs: middle, toMs: largest.query.toMs },
    expected: upper,
    read: 0,
    lastUpdatedMs: null,
    spanFromMs: middle,
  };
  largest.query = { ...largest.query, toMs: middle };
  largest.expected -= upper;
  return split;
}

/**
 * Runs a project's units through `schedule` (the run's worker pool) and, whenever one finishes
 * while `idleWorkers()` says workers would otherwise wait, splits the largest one still open.
 */
export async function runUnits(
  ctx: ProjectContext,
  units: WorkUnit[],
  schedule: (job: () => Promise<void>) => Promise<void>,
  idleWorkers: () => number,
): Promise<void> {
  const open = new Set(units);
  const jobs: Array<Promise<void>> = [];
  let failure: { error: unknown } | null = null;
  const start = (unit: WorkUnit) =>
    jobs.push(
      schedule(async () => {
        ctx.signal.throwIfAborted();
        await runUnit(ctx, unit);
        open.delete(unit);
        fill();
      }).catch((error: unknown) => {
        failure ??= { error };
      }),
    );
  const fill = () => {
    for (let n = idleWorkers(); n > 0; n--) {
      const split = splitLargest(ctx, open);
      if (!split) return;
      open.add(split);
      start(split);
    }
  };
  for (const unit of units) start(unit);
  fill();
  // Jobs are added while others run: wait until every one of them, old and new, has finished (a
  // failing one stops its siblings through the project's signal).
  for (let i = 0; i < jobs.length; i++) await jobs[i];
  if (failure) throw (failure as { error: unknown }).error;
}

/** After every unit succeeded: fold split ranges (if any) into the project cursor. */
export function completeUnits(ctx: ProjectContext): void {
  if (getSlices(ctx.store, ctx.instanceId, ctx.projectKey).length > 0) completeSlices(ctx.store, ctx.instanceId, ctx.projectKey);
}

/** Whether this sync of the project also sweeps: asked for, due every Nth sync, or repairing the project. */
export function sweepDue(store: Store, instanceId: string, projectKey: string, config: PerformanceConfig, requested: boolean): boolean {
  if (requested) return true;
  const { syncCount, repairReason } = getProjectCursor(store, instanceId, projectKey);
  if (repairReason !== null) return true;
  return config.sweepEvery > 0 && syncCount > 0 && (syncCount + 1) % config.sweepEvery === 0;
}
