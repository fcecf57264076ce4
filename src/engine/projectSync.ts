/**
 * Syncing one project: page its work units (plan.ts chooses them), committing one transaction per
 * page, while workers that would otherwise wait cut the largest range still being read in two.
 * Checking what was fetched is verify.ts's job.
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
/** A range is cut for an idle worker only while it has at least this many pages left to read. */
const MIN_PAGES_TO_CUT = 4;
/** Counts spent at most on placing one cut (a bisection by count toward the middle of what is left). */
const MAX_CUT_COUNTS = 3;

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
  /** Where its range starts, for cutting (its `fromMs`; null for a first range reaching back to the start). */
  spanFromMs: number | null;
  /** A worker is placing a cut in it right now. */
  cutting: boolean;
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
export async function runUnit(ctx: ProjectContext, unit: WorkUnit, afterPage: () => void = () => {}): Promise<void> {
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
    afterPage();
  } while (position !== null || unit.query.toMs !== bound);
  if (unit.sliceId !== null) markSliceDone(ctx.store, unit.sliceId);
}

/** The open unit with the most left to read that is worth cutting, if any. */
function largestToCut(ctx: ProjectContext, units: Iterable<WorkUnit>): WorkUnit | null {
  const minimum = MIN_PAGES_TO_CUT * ctx.getConfig().batchSize;
  let largest: WorkUnit | null = null;
  for (const unit of units) {
    if (unit.sliceId === null || unit.cutting || unit.expected - unit.read < minimum) continue;
    if (unreadFrom(unit) === null) continue;
    if (!largest || unit.expected - unit.read > largest.expected - largest.read) largest = unit;
  }
  return largest;
}

/** Where the part of a unit not read yet starts: the minute after its last issue read. */
function unreadFrom(unit: WorkUnit): number | null {
  return unit.lastUpdatedMs !== null ? floorMinute(unit.lastUpdatedMs) + MINUTE_MS : unit.spanFromMs;
}

/**
 * Cuts what a unit has not read yet in two, at a whole minute placed by counts (a few bisection
 * steps toward an even split), and returns a new unit for the upper part; the unit's own upper
 * bound is lowered. Null when no useful cut exists (or counting is unavailable).
 */
async function cutUnit(ctx: ProjectContext, unit: WorkUnit): Promise<WorkUnit | null> {
  const readBefore = unit.read;
  const from = unreadFrom(unit);
  const to = unit.query.toMs ?? floorMinute(Date.now()) + MINUTE_MS;
  if (from === null || to - from < 2 * MINUTE_MS) return null;
  const remaining = unit.expected - unit.read;
  let low = from;
  let high = to;
  let cut: { at: number; below: number } | null = null;
  for (let step = 0; step < MAX_CUT_COUNTS && high - low >= 2 * MINUTE_MS; step++) {
    const at = floorMinute(low + (high - low) / 2);
    const below = await countIfAvailable(ctx, { projectKey: ctx.projectKey, fromMs: from, toMs: at });
    if (below === null) return null;
    if (below < remaining) cut = { at, below };
    if (below < remaining * 0.3) low = at;
    else if (below > remaining * 0.7) high = at;
    else break;
  }
  // The unit read on while the counts were asked: what it read is no longer above or below the cut.
  const readSince = unit.read - readBefore;
  if (!cut || (unit.lastUpdatedMs !== null && unit.lastUpdatedMs >= cut.at)) return null;
  const lower = Math.max(0, cut.below - readSince);
  const upper = Math.max(0, unit.expected - unit.read - lower);
  if (upper === 0) return null;
  const sliceId = splitSlice(ctx.store, unit.sliceId!, cut.at);
  const other: WorkUnit = {
    sliceId,
    query: { projectKey: ctx.projectKey, fromMs: cut.at, toMs: unit.query.toMs },
    expected: upper,
    read: 0,
    lastUpdatedMs: null,
    spanFromMs: cut.at,
    cutting: false,
  };
  unit.query = { ...unit.query, toMs: cut.at };
  unit.expected = unit.read + lower;
  return other;
}

/**
 * Runs a project's units through `schedule` (the run's worker pool). Whenever `idleWorkers()` says
 * a worker would otherwise wait (checked after every page), it cuts the largest unit still open
 * and reads the upper part itself.
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
  const track = (job: Promise<void>) =>
    jobs.push(
      job.catch((error: unknown) => {
        failure ??= { error };
      }),
    );
  const read = async (unit: WorkUnit) => {
    ctx.signal.throwIfAborted();
    await runUnit(ctx, unit, fill);
    open.delete(unit);
  };
  function fill(): void {
    if (failure) return;
    for (let n = idleWorkers(); n > 0; n--) {
      const unit = largestToCut(ctx, open);
      if (!unit) return;
      unit.cutting = true;
      track(
        schedule(async () => {
          let other: WorkUnit | null;
          try {
            other = await cutUnit(ctx, unit);
          } finally {
            unit.cutting = false;
          }
          if (other) {
            open.add(other);
            await read(other);
          }
          fill();
        }),
      );
    }
  }
  for (const unit of units)
    track(
      schedule(async () => {
        await read(unit);
        fill();
      }),
    );
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
