/**
 * Syncing one project: plan its work units (the whole project, or — for a large first sync —
 * `updated` ranges that several workers page at once), page each unit committing one transaction
 * per page, then optionally sweep for deleted and moved issues.
 */
import type { PerformanceConfig } from '../shared/model.ts';
import type { Store } from '../store/db.ts';
import { markMissingIssuesDeleted, type createIssueWriter } from '../store/issues.ts';
import { completeSlices, createSlices, getSlices, markSliceDone } from '../store/slices.ts';
import { getProjectCursor } from '../store/instances.ts';
import type { RequestStats } from './http.ts';
import { sleep } from './http.ts';
import type { JiraClient, SearchQuery } from './jira.ts';

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

export interface ProjectContext {
  store: Store;
  writer: ReturnType<typeof createIssueWriter>;
  client: JiraClient;
  runId: string;
  instanceId: string;
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
 * What to fetch. Unfinished ranges of an earlier (crashed or stopped) sync are resumed exactly
 * where each committed; otherwise the project is fetched from its cursor (minus the overlap), and
 * a large first sync is split by `updated` into ranges of about PAGES_PER_SLICE pages each.
 */
export async function planUnits(ctx: ProjectContext): Promise<WorkUnit[]> {
  const { store, instanceId, projectKey } = ctx;
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
  const cursor = getProjectCursor(store, instanceId, projectKey).cursorUpdatedMs;
  const since =
    cursor !== null ? cursor - CURSOR_OVERLAP_MS : config.lookbackDays > 0 ? Date.now() - config.lookbackDays * 86_400_000 : null;
  const whole: WorkUnit[] = [{ sliceId: null, query: { projectKey, fromMs: since, toMs: null } }];
  // Incremental syncs fetch deltas; only a first sync can be large enough to be worth splitting.
  if (cursor !== null || config.maxWorkers === 1) return whole;
  const expected = await ctx.client.count({ projectKey, fromMs: since, toMs: null }, ctx.stats, ctx.signal);
  ctx.onExpected(expected);
  const sliceSize = config.batchSize * PAGES_PER_SLICE;
  if (expected < 2 * sliceSize) return whole;
  const oldest = since ?? (await ctx.client.oldestUpdated(projectKey, ctx.stats, ctx.signal));
  if (oldest === null) return whole;
  const ranges = await splitByCount(ctx, { fromMs: oldest, toMs: Date.now(), count: expected }, sliceSize);
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

/** Halves every range holding more than `target` issues, level by level (one count request per split). */
async function splitByCount(
  ctx: ProjectContext,
  whole: CountedRange,
  target: number,
): Promise<Array<{ fromMs: number | null; toMs: number | null }>> {
  let ranges: CountedRange[] = [whole];
  for (let level = 0; level < MAX_SPLIT_LEVELS; level++) {
    const next = await Promise.all(
      ranges.map(async (range): Promise<CountedRange[]> => {
        if (range.count <= target || range.toMs - range.fromMs < 120_000) return [range];
        const middle = Math.floor((range.fromMs + range.toMs) / 2);
        const lower = await ctx.client.count({ projectKey: ctx.projectKey, fromMs: range.fromMs, toMs: middle }, ctx.stats, ctx.signal);
        return [
          { fromMs: range.fromMs, toMs: middle, count: lower },
          { fromMs: middle, toMs: range.toMs, count: Math.max(0, range.count - lower) },
        ].filter((r) => r.count > 0);
      }),
    );
    const flat = next.flat();
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

/** Whether this sync of the project also sweeps for deletions and moves. */
export function sweepDue(store: Store, instanceId: string, projectKey: string, config: PerformanceConfig, requested: boolean): boolean {
  if (requested) return true;
  const { syncCount } = getProjectCursor(store, instanceId, projectKey);
  return config.sweepEvery > 0 && syncCount > 0 && (syncCount + 1) % config.sweepEvery === 0;
}

export async function sweep(ctx: ProjectContext): Promise<number> {
  const ids = await ctx.client.allIds(ctx.projectKey, ctx.stats, ctx.signal);
  return markMissingIssuesDeleted(ctx.store, ctx.instanceId, ctx.projectKey, ids, ctx.detailId);
}
