/**
 * The SQL of the anomaly detection: a run's project syncs with the figures it watches, the robust
 * baseline (median and median absolute deviation, by window functions) of a project's earlier
 * successful syncs of the same kind, the recent and earlier failure rates, and the state of each
 * watched series and its anomalies.
 */
import type { Anomaly, AnomalyMetric } from '../shared/analytics.ts';
import { firstSync } from './analyticsScope.ts';
import type { Store } from './db.ts';

/** A baseline holds at most this many earlier successful syncs. */
export const BASELINE_SYNCS = 50;
/** The failure rate compares the last this many syncs of a project with the BASELINE_SYNCS before them. */
export const RATE_SYNCS = 10;

export type SyncKind = 'first' | 'incremental';

export interface WatchedSync {
  instanceId: string;
  instance: string;
  project: string;
  status: 'completed' | 'failed';
  startedAt: string;
  kind: SyncKind;
  durationPerIssue: number | null;
  issuesPerSync: number;
  latency: number | null;
}

export function watchedSyncs(store: Store, runId: string): WatchedSync[] {
  return store
    .statement(
      `SELECT d.instance_id AS instanceId, d.instance_name AS instance, d.project_key AS project, d.status, d.started_at AS startedAt,
              CASE WHEN ${firstSync()} THEN 'first' ELSE 'incremental' END AS kind,
              CASE WHEN d.issues_processed > 0 THEN d.duration_ms * 1.0 / d.issues_processed END AS durationPerIssue,
              d.issues_processed AS issuesPerSync, d.latency_p50_ms AS latency
       FROM sync_project_details d WHERE d.sync_id = ? AND d.status IN ('completed', 'failed') ORDER BY d.instance_name, d.project_key`,
    )
    .all(runId) as WatchedSync[];
}

export interface Baseline {
  metric: AnomalyMetric;
  median: number;
  mad: number;
  runs: number;
}

/** Median and MAD of each watched figure over the project's successful syncs of `kind` before `before`. */
export function baselines(store: Store, sync: WatchedSync): Baseline[] {
  return store
    .statement(
      `WITH base AS (
         SELECT CASE WHEN d.issues_processed > 0 THEN d.duration_ms * 1.0 / d.issues_processed END AS dpi,
                d.issues_processed * 1.0 AS ips, d.latency_p50_ms AS lat
         FROM sync_project_details d
         WHERE d.instance_id = @instanceId AND d.project_key = @project AND d.started_at < @before AND d.status = 'completed'
           AND (CASE WHEN ${firstSync()} THEN 'first' ELSE 'incremental' END) = @kind
         ORDER BY d.started_at DESC LIMIT ${BASELINE_SYNCS}),
       samples AS (
         SELECT 'durationPerIssue' AS metric, dpi AS v FROM base WHERE dpi IS NOT NULL
         UNION ALL SELECT 'issuesPerSync', ips FROM base
         UNION ALL SELECT 'latency', lat FROM base WHERE lat IS NOT NULL),
       ranked AS (SELECT metric, v, ROW_NUMBER() OVER (PARTITION BY metric ORDER BY v) AS rn,
                         COUNT(*) OVER (PARTITION BY metric) AS n FROM samples),
       med AS (SELECT metric, AVG(v) AS median, MAX(n) AS runs FROM ranked WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY metric),
       dev AS (SELECT s.metric, ABS(s.v - med.median) AS dv FROM samples s JOIN med ON med.metric = s.metric),
       dranked AS (SELECT metric, dv, ROW_NUMBER() OVER (PARTITION BY metric ORDER BY dv) AS rn,
                          COUNT(*) OVER (PARTITION BY metric) AS n FROM dev),
       mad AS (SELECT metric, AVG(dv) AS mad FROM dranked WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY metric)
       SELECT med.metric, med.median, mad.mad, med.runs FROM med JOIN mad ON mad.metric = med.metric ORDER BY med.metric`,
    )
    .all({ instanceId: sync.instanceId, project: sync.project, before: sync.startedAt, kind: sync.kind }) as Baseline[];
}

export interface FailureRates {
  recentSyncs: number;
  recentFailures: number;
  earlierSyncs: number;
  earlierFailures: number;
}

/** The project's last RATE_SYNCS syncs up to and including `sync`, and the BASELINE_SYNCS before them. */
export function failureRates(store: Store, sync: WatchedSync): FailureRates {
  return store
    .statement(
      `WITH s AS (
         SELECT d.status, ROW_NUMBER() OVER (ORDER BY d.started_at DESC) AS rn FROM sync_project_details d
         WHERE d.instance_id = ? AND d.project_key = ? AND d.started_at <= ? AND d.status IN ('completed', 'failed')
         ORDER BY d.started_at DESC LIMIT ${RATE_SYNCS + BASELINE_SYNCS})
       SELECT COALESCE(SUM(rn <= ${RATE_SYNCS}), 0) AS recentSyncs, COALESCE(SUM(rn <= ${RATE_SYNCS} AND status = 'failed'), 0) AS recentFailures,
              COALESCE(SUM(rn > ${RATE_SYNCS}), 0) AS earlierSyncs, COALESCE(SUM(rn > ${RATE_SYNCS} AND status = 'failed'), 0) AS earlierFailures
       FROM s`,
    )
    .get(sync.instanceId, sync.project, sync.startedAt) as FailureRates;
}

export interface SeriesKey {
  instance: string;
  project: string;
  kind: SyncKind | 'any';
  metric: AnomalyMetric;
}

export interface SeriesState {
  breaches: number;
  normals: number;
  openAnomalyId: string | null;
}

/** The series' state, and the run that last changed it (a run judged twice counts once). */
export function readSeries(store: Store, key: SeriesKey): SeriesState & { lastRunId: string | null } {
  const row = store
    .statement(
      `SELECT breaches, normals, open_anomaly_id AS openAnomalyId, last_run_id AS lastRunId FROM anomaly_series
       WHERE instance_name = @instance AND project_key = @project AND kind = @kind AND metric = @metric`,
    )
    .get(key) as (SeriesState & { lastRunId: string }) | undefined;
  return row ?? { breaches: 0, normals: 0, openAnomalyId: null, lastRunId: null };
}

export function writeSeries(store: Store, key: SeriesKey, state: SeriesState, runId: string): void {
  store
    .statement(
      `INSERT INTO anomaly_series (instance_name, project_key, kind, metric, breaches, normals, open_anomaly_id, last_run_id)
       VALUES (@instance, @project, @kind, @metric, @breaches, @normals, @openAnomalyId, @runId)
       ON CONFLICT (instance_name, project_key, kind, metric) DO UPDATE SET breaches = excluded.breaches,
         normals = excluded.normals, open_anomaly_id = excluded.open_anomaly_id, last_run_id = excluded.last_run_id`,
    )
    .run({ ...key, breaches: state.breaches, normals: state.normals, openAnomalyId: state.openAnomalyId, runId });
}

export type AnomalyRecord = Omit<Anomaly, 'description'>;

export function insertAnomaly(store: Store, a: AnomalyRecord): void {
  store
    .statement(
      `INSERT INTO anomalies (id, instance_name, project_key, kind, metric, status, opened_at, opened_run_id, resolved_at, resolved_run_id,
         value, last_value, baseline_median, baseline_mad, baseline_runs, threshold, rule)
       VALUES (@id, @instance, @project, @kind, @metric, @status, @openedAt, @openedRunId, @resolvedAt, @resolvedRunId,
         @value, @lastValue, @baselineMedian, @baselineMad, @baselineRuns, @threshold, @rule)`,
    )
    .run(a);
}

export function updateAnomaly(
  store: Store,
  id: string,
  change: { lastValue: number; resolvedAt?: string | null; resolvedRunId?: string | null },
): void {
  store
    .statement(
      `UPDATE anomalies SET last_value = @lastValue,
         status = CASE WHEN @resolvedAt IS NULL THEN status ELSE 'resolved' END,
         resolved_at = COALESCE(@resolvedAt, resolved_at), resolved_run_id = COALESCE(@resolvedRunId, resolved_run_id)
       WHERE id = @id`,
    )
    .run({ id, lastValue: change.lastValue, resolvedAt: change.resolvedAt ?? null, resolvedRunId: change.resolvedRunId ?? null });
}

const COLUMNS = `id, instance_name AS instance, project_key AS project, kind, metric, status, opened_at AS openedAt,
  opened_run_id AS openedRunId, resolved_at AS resolvedAt, resolved_run_id AS resolvedRunId, value, last_value AS lastValue,
  baseline_median AS baselineMedian, baseline_mad AS baselineMad, baseline_runs AS baselineRuns, threshold, rule`;

export function getAnomaly(store: Store, id: string): AnomalyRecord | null {
  return (store.statement(`SELECT ${COLUMNS} FROM anomalies WHERE id = ?`).get(id) as AnomalyRecord | undefined) ?? null;
}

/** Open anomalies (oldest first), and those resolved since `since` (newest first), optionally of one instance or project. */
export function listAnomalyRecords(
  store: Store,
  filter: { since: string; instance: string | null; project: string | null },
): { open: AnomalyRecord[]; recent: AnomalyRecord[] } {
  const scope = `(@instance IS NULL OR instance_name = @instance) AND (@project IS NULL OR project_key = @project)`;
  return {
    open: store
      .statement(
        `SELECT ${COLUMNS} FROM anomalies WHERE status = 'open' AND ${scope} ORDER BY opened_at, instance_name, project_key, metric`,
      )
      .all(filter) as AnomalyRecord[],
    recent: store
      .statement(
        `SELECT ${COLUMNS} FROM anomalies WHERE status = 'resolved' AND resolved_at >= @since AND ${scope} ORDER BY resolved_at DESC, instance_name, project_key, metric`,
      )
      .all(filter) as AnomalyRecord[],
  };
}
