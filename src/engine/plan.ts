/**
 * Planning a project's fetch: the whole project from its cursor, the unfinished ranges of an
 * earlier (crashed or stopped) sync, or — for a first sync — one `updated` range holding the whole
 * project, counted once. Ranges are cut only when workers would otherwise wait (see runUnits): a
 * run of many projects keeps every worker busy without cutting any, and a single large project is
 * cut into as many ranges as there are idle workers, each cut placed by a count.
 */
import type { PerformanceConfig } from '../shared/model.ts';
import { createSlices, deleteSlices, getSlices } from '../store/slices.ts';
import { getProjectCursor } from '../store/instances.ts';
import { countIfAvailable, CURSOR_OVERLAP_MS, type ProjectContext, type WorkUnit } from './projectSync.ts';

/** A first sync is read as a range that may be cut from this many pages on. */
export const MIN_PAGES_TO_CUT = 4;

export function splittable(config: PerformanceConfig, expected: number): boolean {
  return config.maxWorkers > 1 && expected >= MIN_PAGES_TO_CUT * config.batchSize;
}

function unit(sliceId: number | null, projectKey: string, fromMs: number | null, toMs: number | null, expected = 0): WorkUnit {
  return { sliceId, query: { projectKey, fromMs, toMs }, expected, read: 0, lastUpdatedMs: null, spanFromMs: fromMs, cutting: false };
}

/** What to fetch. A project whose last completeness check failed is re-read whole, as if for the first time. */
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
  // Incremental syncs fetch deltas, never large enough to be worth cutting; one worker cuts nothing.
  if (cursor !== null || config.maxWorkers === 1) return [unit(null, projectKey, since, null)];
  const expected = await countIfAvailable(ctx, { projectKey, fromMs: since, toMs: null });
  if (expected !== null) ctx.onExpected(expected);
  if (expected === null || !splittable(config, expected)) return [unit(null, projectKey, since, null, expected ?? 0)];
  const [slice] = createSlices(store, instanceId, projectKey, [{ fromMs: since, toMs: null }]);
  return [unit(slice!.id, projectKey, since, null, expected)];
}
