/** Repository of the `updated` ranges a large project's first sync is split into (see schema). */
import { orm } from './orm.ts';
import type { Store } from './db.ts';
import { syncSlices } from './schema.ts';

const { and, asc, eq } = orm;

export interface Slice {
  id: number;
  fromMs: number | null;
  toMs: number | null;
  committedMs: number | null;
  done: boolean;
}

export function getSlices(store: Store, instanceId: string, projectKey: string): Slice[] {
  return store.db
    .select({
      id: syncSlices.id,
      fromMs: syncSlices.fromMs,
      toMs: syncSlices.toMs,
      committedMs: syncSlices.committedMs,
      done: syncSlices.done,
    })
    .from(syncSlices)
    .where(and(eq(syncSlices.instanceId, instanceId), eq(syncSlices.projectKey, projectKey)))
    .orderBy(asc(syncSlices.id))
    .all();
}

export function createSlices(
  store: Store,
  instanceId: string,
  projectKey: string,
  ranges: Array<{ fromMs: number | null; toMs: number | null }>,
): Slice[] {
  store.sqlite.transaction(() => {
    for (const range of ranges)
      store.db
        .insert(syncSlices)
        .values({ instanceId, projectKey, ...range })
        .run();
  })();
  return getSlices(store, instanceId, projectKey);
}

/**
 * Hands the part of a range from `atMs` on to a new range (an idle worker reads it), in one
 * transaction (IMMEDIATE: it reads first, and the page thread commits meanwhile); returns the new
 * range's id.
 */
export function splitSlice(store: Store, sliceId: number, atMs: number): number {
  return store.sqlite
    .transaction(() => {
      const slice = store.db.select().from(syncSlices).where(eq(syncSlices.id, sliceId)).get();
      if (!slice) throw new Error(`no range ${sliceId} to split`);
      store.db.update(syncSlices).set({ toMs: atMs }).where(eq(syncSlices.id, sliceId)).run();
      return store.db
        .insert(syncSlices)
        .values({ instanceId: slice.instanceId, projectKey: slice.projectKey, fromMs: atMs, toMs: slice.toMs })
        .returning({ id: syncSlices.id })
        .get().id;
    })
    .immediate();
}

/** Drops a project's ranges (a project about to be re-read whole plans anew). */
export function deleteSlices(store: Store, instanceId: string, projectKey: string): void {
  store.db
    .delete(syncSlices)
    .where(and(eq(syncSlices.instanceId, instanceId), eq(syncSlices.projectKey, projectKey)))
    .run();
}

export function markSliceDone(store: Store, sliceId: number): void {
  store.db.update(syncSlices).set({ done: true }).where(eq(syncSlices.id, sliceId)).run();
}

/**
 * All ranges are done: the project's cursor becomes the largest `updated` any range committed and
 * the ranges are dropped, in one transaction, so a crash in between changes nothing.
 */
export function completeSlices(store: Store, instanceId: string, projectKey: string): void {
  store.sqlite.transaction(() => {
    store.sqlite
      .prepare(
        `UPDATE projects SET cursor_updated_ms = MAX(COALESCE(cursor_updated_ms, committed), committed)
         FROM (SELECT MAX(committed_ms) AS committed FROM sync_slices WHERE instance_id = @instanceId AND project_key = @projectKey)
         WHERE instance_id = @instanceId AND key = @projectKey AND committed IS NOT NULL`,
      )
      .run({ instanceId, projectKey });
    deleteSlices(store, instanceId, projectKey);
  })();
}
