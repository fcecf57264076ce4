/**
 * What the recent scheduled runs say about the schedule's interval: how long they took against it,
 * how many found nothing to change, and what a sync costs in requests. Aggregated in SQL over the
 * newest scheduled runs since the schedule last changed (through the initiator index); the schedule
 * recommendation reads it.
 */
import type { Store } from './db.ts';

export interface ScheduleEvidence {
  /** Finished scheduled runs since the schedule's last audited change (at most the number asked for). */
  runs: number;
  /** The longest of them. */
  longestMs: number;
  /** Completed ones that created, updated and deleted nothing. */
  unchanged: number;
  /** Their requests, all together (setup calls are not recorded per project, so not counted). */
  apiCalls: number;
  /** The mean requests of an unchanged one: what a sync costs when nothing changed; null without one. */
  unchangedApiCalls: number | null;
}

export function getScheduleEvidence(store: Store, recentRuns = 20): ScheduleEvidence {
  return store
    .statement(
      `WITH recent AS (
         SELECT sync_id, duration_ms, status = 'completed' AND issues_created + issues_updated + issues_deleted = 0 AS idle
         FROM sync_runs WHERE initiated_by = 'scheduled' AND status IN ('completed', 'partial', 'failed')
           -- Runs under an earlier interval say nothing about the current one.
           AND started_at > COALESCE((SELECT MAX(changed_at) FROM configuration_audit WHERE config_type = 'schedule'), '')
         ORDER BY started_at DESC LIMIT @recentRuns),
       priced AS (
         SELECT r.duration_ms, r.idle, (SELECT COALESCE(SUM(d.api_calls), 0) FROM sync_project_details d WHERE d.sync_id = r.sync_id) AS calls
         FROM recent r)
       SELECT COUNT(*) AS runs, COALESCE(MAX(duration_ms), 0) AS longestMs, COALESCE(SUM(idle), 0) AS unchanged,
              COALESCE(SUM(calls), 0) AS apiCalls, AVG(CASE WHEN idle THEN calls END) AS unchangedApiCalls
       FROM priced`,
    )
    .get({ recentRuns }) as ScheduleEvidence;
}
