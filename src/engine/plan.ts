/**
 * Planning a project's fetch: the whole project from its cursor, the unfinished ranges of an
 * earlier (crashed or stopped) sync, or — for a large first sync — `updated` ranges that several
 * workers page at once. The ranges come from one round of counts at evenly spaced instants (the
 * count of issues updated before each), so planning costs two round trips whatever the size; the
 * ranges are then only a starting point: workers that run out of work split the largest range left
 * (see runUnits).
 */
import type { PerformanceConfig } from '../shared/model.ts';
import { createSlices, deleteSlices, getSlices } from '../store/slices.ts';
import { getProjectCursor } from '../store/instances.ts';
import { toSyncError } from './errors.ts';
import { floorMinute, MINUTE_MS } from './jira.ts';
import { countIfAvailable, CURSOR_OVERLAP_MS, meansUnavailable, type ProjectContext, type WorkUnit } from './projectSync.ts';

/** A first sync smaller than this many pages per worker is not split. */
const MIN_PAGES_PER_RANGE = 4;
/** Ranges per worker to start with: enough to balance, few enough to keep planning cheap. */
const RANGES_PER_WORKER = 3;
/** Instants counted in the one planning round (bounded by what a connection pool serves at once). */
export const GRID_POINTS = 15;

/** The size of the ranges a first sync of `issues` starts with; a project below twice that is not split. */
export function rangeTarget(config: PerformanceConfig, issues: number): number {
  return Math.max(MIN_PAGES_PER_RANGE * config.batchSize, Math.ceil(issues / (RANGES_PER_WORKER * config.maxWorkers)));
}

function unit(sliceId: number | null, projectKey: string, fromMs: number | null, toMs: number | null, expected = 0): WorkUnit {
  return { sliceId, query: { projectKey, fromMs, toMs }, expected, read: 0, lastUpdatedMs: null, spanFromMs: fromMs };
}

/**
 * What to fetch. A project whose last completeness check failed is re-read whole, as if for the
 * first time.
 */
export async function planUnits(ctx: ProjectContext): Promise<WorkUnit[]> {
  const { store, instanceId, projectKey } = ctx;
  const state = getProjectCursor(store, instanceId, projectKey);
  if (state.repairReason !== null) deleteSlices(store, instanceId, projectKey);
  const pending = getSlices(store, instanceId, projectKey);
  if (pending.length > 0) {
    return pending
      .filter((slice) => !slice.done)
      .map((slice) =>
        unit(
          slice.id,
          projectKey,
          slice.committedMs === null ? slice.fromMs : Math.max(slice.fromMs ?? 0, slice.committedMs - CURSOR_OVERLAP_MS),
          slice.toMs,
        ),
      );
  }
  const config = ctx.getConfig();
  const cursor = state.repairReason === null ? state.cursorUpdatedMs : null;
  const since =
    cursor !== null ? cursor - CURSOR_OVERLAP_MS : config.lookbackDays > 0 ? Date.now() - config.lookbackDays * 86_400_000 : null;
  const whole = (expected = 0) => [unit(null, projectKey, since, null, expected)];
  // Incremental syncs fetch deltas; only a first sync can be large enough to be worth splitting.
  if (cursor !== null || config.maxWorkers === 1) return whole();
  const expected = await countIfAvailable(ctx, { projectKey, fromMs: since, toMs: null });
  if (expected === null) return whole();
  ctx.onExpected(expected);
  const target = rangeTarget(config, expected);
  if (expected < 2 * target) return whole(expected);
  const oldest = await oldestUpdated(ctx, since);
  if (oldest === null) return whole(expected);
  const ranges = await rangesByCount(ctx, floorMinute(oldest), floorMinute(Date.now()) + MINUTE_MS, expected, target);
  if (ranges === null || ranges.length < 2) return whole(expected);
  // The first range reaches back to the start and the last is open-ended, so nothing falls outside.
  ranges[0]!.fromMs = since;
  ranges[ranges.length - 1]!.toMs = null;
  const slices = createSlices(
    store,
    instanceId,
    projectKey,
    ranges.map(({ fromMs, toMs }) => ({ fromMs, toMs })),
  );
  const units = slices.map((slice, i) => ({
    ...unit(slice.id, projectKey, slice.fromMs, slice.toMs, ranges[i]!.expected),
    spanFromMs: ranges[i]!.spanFromMs,
  }));
  // Longest first: the pool starts them in this order.
  return units.sort((a, b) => b.expected - a.expected);
}

async function oldestUpdated(ctx: ProjectContext, since: number | null): Promise<number | null> {
  if (since !== null) return since;
  try {
    return await ctx.client.oldestUpdated(ctx.projectKey, ctx.stats, ctx.signal);
  } catch (error) {
    // Only planning needs it: a server without it has the project fetched unsplit.
    if (ctx.signal.aborted || !meansUnavailable(toSyncError(error))) throw error;
    return null;
  }
}

interface PlannedRange {
  fromMs: number | null;
  toMs: number | null;
  /** Where the range starts for splitting it later (fromMs, before the first is opened to the past). */
  spanFromMs: number;
  expected: number;
}

/**
 * Ranges of about `target` issues between `fromMs` and `toMs` (whole minutes), from the counts of
 * issues updated before GRID_POINTS evenly spaced instants, asked all at once. Within one grid step
 * issues are taken as evenly spread. Null when counting stops working.
 */
async function rangesByCount(
  ctx: ProjectContext,
  fromMs: number,
  toMs: number,
  total: number,
  target: number,
): Promise<PlannedRange[] | null> {
  const span = toMs - fromMs;
  const points = [
    ...new Set(Array.from({ length: GRID_POINTS }, (_, i) => floorMinute(fromMs + ((i + 1) * span) / (GRID_POINTS + 1)))),
  ].filter((t) => t > fromMs && t < toMs);
  const below = await Promise.all(points.map((t) => countIfAvailable(ctx, { projectKey: ctx.projectKey, fromMs, toMs: t })));
  if (below.includes(null)) return null;
  const edges = [fromMs, ...points, toMs];
  const cumulative = [0, ...(below as number[]), total];
  const ranges: PlannedRange[] = [];
  for (let i = 1; i < edges.length; i++) {
    // Approximate counts need not be monotonic: never let a step go negative.
    const count = Math.max(0, cumulative[i]! - Math.max(...cumulative.slice(0, i)));
    const start = edges[i - 1]!;
    const end = edges[i]!;
    const parts = Math.max(1, Math.min(Math.ceil(count / target), Math.floor((end - start) / MINUTE_MS)));
    for (let p = 0; p < parts; p++) {
      const partFrom = p === 0 ? start : floorMinute(start + ((end - start) * p) / parts);
      const partTo = p === parts - 1 ? end : floorMinute(start + ((end - start) * (p + 1)) / parts);
      const last = ranges.at(-1);
      // Small neighbours are merged, so that no range is mostly empty.
      if (last && last.expected + count / parts <= target && (last.expected < target / 2 || count / parts < target / 2)) {
        last.toMs = partTo;
        last.expected += count / parts;
      } else {
        ranges.push({ fromMs: partFrom, toMs: partTo, spanFromMs: partFrom, expected: count / parts });
      }
    }
  }
  return ranges.map((range) => ({ ...range, expected: Math.round(range.expected) }));
}
