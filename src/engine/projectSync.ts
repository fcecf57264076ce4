/**
 * Syncing one project: plan its work units (the whole project, or — for a large first sync —
 * `updated` ranges that several workers page at once), page each unit committing one transaction
 * per page. Checking what was fetched is verify.ts's job.
 */
import type { PerformanceConfig } from '../shared/model.ts';
import type { Store } from '../store/db.ts';
import type { createIssueWriter } from '../store/issues.ts';
import { completeSlices, createSlices, deleteSlices, getSlices, markSliceDone } from '../store/slices.ts';
import { getProjectCursor } from '../store/instances.ts';
import { toSyncError } from './errors.ts';
import type { RequestStats } from './http.ts';
import { sleep } from './http.ts';
import { floorMinute, MINUTE_MS, type JiraClient, type SearchQuery } from './jira.ts';

/** Re-reading overlaps the cursor by this much: search lags behind writes and JQL users think in minutes. */
export const CURSOR_OVERLAP_MS = 5 * 60_000;
/** A range is worth its own worker when it holds at least this many pages. */
const PAGES_PER_SLICE = 10;
/** Bisection depth for splitting a large project (2^6 = 64 ranges at most). */
const MAX_SPLIT_LEVELS = 6;

export interface WorkUnit {
  /** null: the whole project, advancing the project's own cursor page by page. */
  sliceId: number | null;
  query: SearchQuery;
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
    if (ctx.signal.aborted || failure.category === 'Cancelled' || failure.category === 'Authentication') throw error;
    ctx.capabilities.countUnavailable = failure.message;
    ctx.notice(
      `${ctx.instanceName}: Jira could not count issues (${failure.message}); its projects were synced without ` +
        'splitting or expected totals, and checked against their id lists',
    );
    return null;
  }
}

/**
 * What to fetch. Unfinished ranges of an earlier (crashed or stopped) sync are resumed exactly
 * where each committed; otherwise the project is fetched from its cursor (minus the overlap), and
 * a large first sync is split by `updated` into ranges of about PAGES_PER_SLICE pages each. A
 * project whose last completeness check failed is re-read whole, as if for the first time.
 */
export async function planUnits(ctx: ProjectContext): Promise<WorkUnit[]> {
  const { store, instanceId, projectKey } = ctx;
  const state = getProjectCursor(store, instanceId, projectKey);
  if (state.repairReason !== null) deleteSlices(store, instanceId, projectKey);
  const pending = getSlices(store, instanceId, projectKey);
  if (pending.length > 0) {
    return pending
      .filter((slice) => !slice.done)
      .map((slice) => ({
        sliceId: slice.id,
        query: {
          projectKey,
          fromMs: slice.committedMs === null ? slice.fromMs : Math.max(slice.fromMs ?? 0, slice.committedMs - CURSOR_OVERLAP_MS),
          toMs: slice.toMs,
        },
      }));
  }
  const config = ctx.getConfig();
  const cursor = state.repairReason === null ? state.cursorUpdatedMs : null;
  const since =
    cursor !== null ? cursor - CURSOR_OVERLAP_MS : config.lookbackDays > 0 ? Date.now() - config.lookbackDays * 86_400_000 : null;
  const whole: WorkUnit[] = [{ sliceId: null, query: { projectKey, fromMs: since, toMs: null } }];
  // Incremental syncs fetch deltas; only a first sync can be large enough to be worth splitting.
  if (cursor !== null || config.maxWorkers === 1) return whole;
  const expected = await countIfAvailable(ctx, { projectKey, fromMs: since, toMs: null });
  if (expected === null) return whole;
  ctx.onExpected(expected);
  const sliceSize = config.batchSize * PAGES_PER_SLICE;
  if (expected < 2 * sliceSize) return whole;
  let oldest: number | null;
  try {
    oldest = since ?? (await ctx.client.oldestUpdated(projectKey, ctx.stats, ctx.signal));
  } catch (error) {
    if (ctx.signal.aborted || toSyncError(error).category === 'Authentication') throw error;
    return whole;
  }
  if (oldest === null) return whole;
  const ranges = await splitByCount(
    ctx,
    { fromMs: floorMinute(oldest), toMs: floorMinute(Date.now()) + MINUTE_MS, count: expected },
    sliceSize,
  );
  if (ranges.length < 2) return whole;
  // The first range reaches back to the start and the last is open-ended, so nothing falls outside.
  ranges[0]!.fromMs = since;
  ranges[ranges.length - 1]!.toMs = null;
  return createSlices(store, instanceId, projectKey, ranges).map((slice) => ({
    sliceId: slice.id,
    query: { projectKey, fromMs: slice.fromMs, toMs: slice.toMs },
  }));
}

interface CountedRange {
  fromMs: number;
  toMs: number;
  count: number;
}

/**
 * Halves every range holding more than `target` issues, level by level (one count request per
 * split), at whole minutes, so that adjacent ranges mean the same at any `updated` resolution.
 */
async function splitByCount(
  ctx: ProjectContext,
  whole: CountedRange,
  target: number,
): Promise<Array<{ fromMs: number | null; toMs: number | null }>> {
  let ranges: CountedRange[] = [whole];
  for (let level = 0; level < MAX_SPLIT_LEVELS; level++) {
    const next = await Promise.all(
      ranges.map(async (range): Promise<CountedRange[] | null> => {
        if (range.count <= target || range.toMs - range.fromMs < 2 * MINUTE_MS) return [range];
        const middle = floorMinute((range.fromMs + range.toMs) / 2);
        const lower = await countIfAvailable(ctx, { projectKey: ctx.projectKey, fromMs: range.fromMs, toMs: middle });
        if (lower === null) return null;
        return [
          { fromMs: range.fromMs, toMs: middle, count: lower },
          { fromMs: middle, toMs: range.toMs, count: Math.max(0, range.count - lower) },
        ].filter((r) => r.count > 0);
      }),
    );
    // Counting stopped working halfway: keep the ranges found so far.
    if (next.includes(null)) break;
    const flat = (next as CountedRange[][]).flat();
    if (flat.length === ranges.length) break;
    ranges = flat;
  }
  // Keep the ranges contiguous: each starts where the previous ended, even across empty gaps.
  return ranges.map((range, i) => ({ fromMs: i === 0 ? range.fromMs : ranges[i - 1]!.toMs, toMs: range.toMs }));
}

/** Pages one unit to its end; each page is validated whole, then committed in one transaction. */
export async function runUnit(ctx: ProjectContext, unit: WorkUnit): Promise<void> {
  let position: string | null = null;
  let first = true;
  do {
    if (!first) await sleep(ctx.getConfig().rateLimitPause * 1000, ctx.signal);
    first = false;
    const page = await ctx.client.search(unit.query, ctx.getConfig().batchSize, position, ctx.stats, ctx.signal);
    const { issues } = page;
    ctx.stats.parseMs += page.parseMs;
    const writing = performance.now();
    ctx.writer.commit({
      instanceId: ctx.instanceId,
      projectKey: ctx.projectKey,
      runId: ctx.runId,
      projectDetailId: ctx.detailId,
      sliceId: unit.sliceId,
      issues,
    });
    ctx.stats.writeMs += performance.now() - writing;
    if (page.total !== null && unit.sliceId === null && position === null) ctx.onExpected(page.total);
    ctx.onPage(issues.length);
    position = page.next;
  } while (position !== null);
  if (unit.sliceId !== null) markSliceDone(ctx.store, unit.sliceId);
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
