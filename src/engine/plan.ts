/**
 * Planning a project's fetch: the whole project from its cursor, the unfinished ranges of an
 * earlier (crashed or stopped) sync, or — for a first sync — one `updated` range holding the whole
 * project, sized by the count the completeness check asks anyway. Ranges are cut only when workers would otherwise wait (see runUnits): a
 * run of many projects keeps every worker busy without cutting any, and a single large project is
 * cut into as many ranges as there are idle workers, each cut placed by a count.
 */
import type { PerformanceConfig } from '../shared/model.ts';
import { createSlices, deleteSlices, getSlices } from '../store/slices.ts';
import { getProjectCursor } from '../store/instances.ts';
import { CURSOR_OVERLAP_MS, type ProjectContext } from './projectSync.ts';
import type { WorkUnit } from './units.ts';

/** A first sync is read as a range that may be cut from this many pages on. */
export const MIN_PAGES_TO_CUT = 4;

export function splittable(config: PerformanceConfig, expected: number): boolean {
  return config.maxWorkers > 1 && expected >= MIN_PAGES_TO_CUT * config.batchSize;
}

function unit(sliceId: number | null, projectKey: string, fromMs: number | null, toMs: number | null, expected = 0): WorkUnit {
  return { sliceId, query: { projectKey, fromMs, toMs }, expected, read: 0, lastUpdatedMs: null, spanFromMs: fromMs, cutting: false };
}

export interface Plan {
  units: WorkUnit[];
  /** Settles when the first sync's count has come back (it is asked beside the first page). */
  counted: Promise<void>;
}

/**
 * What to fetch. A project whose last completeness check failed is re-read whole, as if for the
 * first time. `countWindow` is Jira's count of the completeness check's window (asked once per
 * project): a first sync sizes its range by it too, a few minutes' changes short of the whole.
 */
export function planUnits(ctx: ProjectContext, countWindow: () => Promise<number | null>): Plan {
  const { store, instanceId, projectKey } = ctx;
  const state = getProjectCursor(store, instanceId, projectKey);
  if (state.repairReason !== null) deleteSlices(store, instanceId, projectKey);
  const pending = getSlices(store, instanceId, projectKey);
  if (pending.length > 0) {
    const units = pending
      .filter((slice) => !slice.done)
      .map((slice) =>
        unit(
          slice.id,
          projectKey,
          slice.committedMs === null ? slice.fromMs : Math.max(slice.fromMs ?? 0, slice.committedMs - CURSOR_OVERLAP_MS),
          slice.toMs,
        ),
      );
    return { units, counted: Promise.resolve() };
  }
  const config = ctx.getConfig();
  const cursor = state.repairReason === null ? state.cursorUpdatedMs : null;
  const since =
    cursor !== null
      ? Math.max(0, cursor - CURSOR_OVERLAP_MS)
      : config.lookbackDays > 0
        ? Date.now() - config.lookbackDays * 86_400_000
        : null;
  // Incremental syncs fetch deltas, never large enough to be worth cutting; one worker cuts nothing.
  if (cursor !== null || config.maxWorkers === 1) return { units: [unit(null, projectKey, since, null)], counted: Promise.resolve() };
  // A first sync is one range that idle workers may cut once its size is known: the count goes out
  // beside the first page instead of before it.
  const [slice] = createSlices(store, instanceId, projectKey, [{ fromMs: since, toMs: null }]);
  const first = unit(slice!.id, projectKey, since, null);
  const counted = countWindow().then((expected) => {
    if (expected === null) return;
    ctx.onExpected(expected);
    if (splittable(config, expected)) first.expected = expected;
  });
  return { units: [first], counted };
}
