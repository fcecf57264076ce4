/**
 * The schedule recommendation's history: the schedule set to 15 minutes (its audit entry moved to
 * `changedAt`), one long scheduled run before that, and since then 12 scheduled runs a day later —
 * 2 that updated issues with 5 API calls each, 10 that changed nothing with 3 — and a manual one.
 * It implies `schedule-interval`: every 30 minutes instead of 15 (10 of 12 unchanged).
 */
import type { Backend } from '../../src/service/backend.ts';
import { seedRun } from './seedRuns.ts';

export const SCHEDULE_CHANGED_AT = Date.UTC(2026, 11, 1);

export async function seedIdleSchedule(backend: Backend, changedAt = SCHEDULE_CHANGED_AT): Promise<void> {
  const set = await backend.dispatch('setSchedule', { intervalMinutes: 15 });
  if (!set.ok) throw new Error(set.error.message);
  backend.store.sqlite
    .prepare(`UPDATE configuration_audit SET changed_at = ? WHERE config_type = 'schedule'`)
    .run(new Date(changedAt).toISOString());
  // Before the change: a long one under the old interval, which says nothing about 15 minutes.
  seedRun(backend.store, { startedAtMs: changedAt - 3_600_000, status: 'completed', durationMs: 25 * 60_000, initiatedBy: 'scheduled' });
  for (let i = 0; i < 12; i++) {
    const id = seedRun(backend.store, {
      startedAtMs: changedAt + 86_400_000 + i * 15 * 60_000,
      status: 'completed',
      durationMs: 20_000,
      initiatedBy: 'scheduled',
      projects: [{ key: 'PROJ', apiCalls: i < 2 ? 5 : 3 }],
    });
    if (i < 2) backend.store.sqlite.prepare(`UPDATE sync_runs SET issues_updated = 4 WHERE sync_id = ?`).run(id);
  }
  seedRun(backend.store, { startedAtMs: changedAt + 2 * 86_400_000, status: 'completed', durationMs: 20_000, initiatedBy: 'app' });
}
