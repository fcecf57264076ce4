/** Repository of configured Jira instances and the per-project sync cursor. */
import { orm } from './orm.ts';
import { randomUUID } from 'node:crypto';
import type { CredentialKind, Flavor, Instance, InstanceMirror } from '../shared/model.ts';
import { nowIso, type Store } from './db.ts';
import { instances, projects } from './schema.ts';

const { asc, eq, and } = orm;

type InstanceRow = typeof instances.$inferSelect;

export interface InstanceRecord extends Instance {
  demoSeed: number | null;
  demoAnchor: string | null;
}

function toInstance(row: InstanceRow): InstanceRecord {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    flavor: row.flavor,
    email: row.email,
    credential: row.credential,
    tokenEnv: row.tokenEnv,
    isDemo: row.credential === 'demo',
    createdAt: row.createdAt,
    enabled: row.enabled,
    projectKeys: row.projectKeys === null ? null : (JSON.parse(row.projectKeys) as string[]),
    demoSeed: row.demoSeed,
    demoAnchor: row.demoAnchor,
  };
}

/** The public view: what may cross to the UI (no demo internals). */
export function publicInstance(record: InstanceRecord): Instance {
  const { demoSeed: _seed, demoAnchor: _anchor, ...instance } = record;
  return instance;
}

export interface NewInstance {
  name: string;
  url: string;
  flavor: Flavor;
  email?: string | null;
  credential: CredentialKind;
  tokenEnv?: string | null;
  demoSeed?: number;
  demoAnchor?: string;
}

export class DuplicateInstanceError extends Error {
  constructor(name: string) {
    super(`an instance named "${name}" already exists`);
  }
}

export function addInstance(store: Store, instance: NewInstance): InstanceRecord {
  if (getInstanceByName(store, instance.name)) throw new DuplicateInstanceError(instance.name);
  const row = store.db
    .insert(instances)
    .values({
      id: randomUUID(),
      name: instance.name,
      url: instance.url,
      flavor: instance.flavor,
      email: instance.email ?? null,
      credential: instance.credential,
      tokenEnv: instance.tokenEnv ?? null,
      demoSeed: instance.demoSeed ?? null,
      demoAnchor: instance.demoAnchor ?? null,
      createdAt: nowIso(),
    })
    .returning()
    .get();
  return toInstance(row);
}

export function listInstances(store: Store): InstanceRecord[] {
  return store.db.select().from(instances).orderBy(asc(instances.name)).all().map(toInstance);
}

export function getInstanceByName(store: Store, name: string): InstanceRecord | null {
  const row = store.db.select().from(instances).where(eq(instances.name, name)).get();
  return row ? toInstance(row) : null;
}

export function getDemoInstance(store: Store): InstanceRecord | null {
  const row = store.db.select().from(instances).where(eq(instances.credential, 'demo')).get();
  return row ? toInstance(row) : null;
}

/** Removes an instance and (by cascade) its mirrored issues and cursors; run history is kept. */
export function removeInstance(store: Store, name: string): boolean {
  return store.db.delete(instances).where(eq(instances.name, name)).run().changes > 0;
}

export interface InstanceChanges {
  url?: string;
  flavor?: Flavor;
  email?: string | null;
  /** Where the token now comes from (a new token is stored by the caller, never here). */
  credential?: CredentialKind;
  tokenEnv?: string | null;
}

/** Changes an instance's connection details; returns the updated record, or null if there is none of that name. */
export function updateInstance(store: Store, name: string, changes: InstanceChanges): InstanceRecord | null {
  const row = store.db.update(instances).set(changes).where(eq(instances.name, name)).returning().get();
  return row ? toInstance(row) : null;
}

export function setInstanceEnabled(store: Store, name: string, enabled: boolean): InstanceRecord | null {
  const row = store.db.update(instances).set({ enabled }).where(eq(instances.name, name)).returning().get();
  return row ? toInstance(row) : null;
}

/** Which projects a sync mirrors: the given keys (sorted, without repeats), or every listed one for null. */
export function setProjectSelection(store: Store, name: string, projectKeys: string[] | null): InstanceRecord | null {
  const value = projectKeys === null ? null : JSON.stringify([...new Set(projectKeys)].sort());
  const row = store.db.update(instances).set({ projectKeys: value }).where(eq(instances.name, name)).returning().get();
  return row ? toInstance(row) : null;
}

/** What the mirror holds per instance and project: live issue counts and last syncs, counted in SQL. */
export function listInstanceMirrors(store: Store): InstanceMirror[] {
  const rows = store
    .statement(
      `WITH counts AS (SELECT instance_id, project_key, COUNT(*) AS issues FROM issues WHERE deleted_at IS NULL
                       GROUP BY instance_id, project_key),
            keys AS (SELECT instance_id, key FROM projects UNION SELECT instance_id, project_key FROM counts)
       SELECT n.name AS instance, k.key, p.name, COALESCE(c.issues, 0) AS issues, p.last_synced_at AS lastSyncedAt
       FROM instances n
       LEFT JOIN keys k ON k.instance_id = n.id
       LEFT JOIN projects p ON p.instance_id = k.instance_id AND p.key = k.key
       LEFT JOIN counts c ON c.instance_id = k.instance_id AND c.project_key = k.key
       ORDER BY n.name, k.key`,
    )
    .all() as Array<{ instance: string; key: string | null; name: string | null; issues: number; lastSyncedAt: string | null }>;
  const mirrors = new Map<string, InstanceMirror>();
  for (const row of rows) {
    let mirror = mirrors.get(row.instance);
    if (!mirror) mirrors.set(row.instance, (mirror = { instance: row.instance, issues: 0, projects: [], lastSyncedAt: null }));
    if (row.key === null) continue;
    mirror.projects.push({ key: row.key, name: row.name, issues: row.issues, lastSyncedAt: row.lastSyncedAt });
    mirror.issues += row.issues;
    if (row.lastSyncedAt && (!mirror.lastSyncedAt || row.lastSyncedAt > mirror.lastSyncedAt)) mirror.lastSyncedAt = row.lastSyncedAt;
  }
  return [...mirrors.values()];
}

export interface ProjectCursor {
  cursorUpdatedMs: number | null;
  syncCount: number;
  /** Set when a completeness check failed: the next sync re-reads the whole project and sweeps it. */
  repairReason: string | null;
}

export function getProjectCursor(store: Store, instanceId: string, key: string): ProjectCursor {
  const row = store.db
    .select({ cursorUpdatedMs: projects.cursorUpdatedMs, syncCount: projects.syncCount, repairReason: projects.repairReason })
    .from(projects)
    .where(and(eq(projects.instanceId, instanceId), eq(projects.key, key)))
    .get();
  return row ?? { cursorUpdatedMs: null, syncCount: 0, repairReason: null };
}

export function setRepairReason(store: Store, instanceId: string, key: string, reason: string | null): void {
  store.db
    .update(projects)
    .set({ repairReason: reason })
    .where(and(eq(projects.instanceId, instanceId), eq(projects.key, key)))
    .run();
}

export function upsertProject(store: Store, instanceId: string, key: string, jiraId: string | null, name: string | null): void {
  store.db
    .insert(projects)
    .values({ instanceId, key, jiraId, name })
    .onConflictDoUpdate({ target: [projects.instanceId, projects.key], set: { jiraId, name } })
    .run();
}

export function markProjectSynced(store: Store, instanceId: string, key: string): void {
  store
    .statement(`UPDATE projects SET sync_count = sync_count + 1, last_synced_at = ? WHERE instance_id = ? AND key = ?`)
    .run(nowIso(), instanceId, key);
}
