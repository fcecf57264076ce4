/**
 * Prometheus metrics in the text format (prom-client), computed by SQL at each scrape. Counters
 * add the daily summaries to the rows not summarized yet, so they only ever grow: retention
 * pruning a run never makes a counter go down (which Prometheus would read as a reset).
 */
import { Counter, Gauge, Registry, type MetricValue } from 'prom-client';
import type { Store } from '../store/db.ts';
import { databaseFileSizes } from '../store/retention.ts';
import { getRetentionState } from '../store/summaries.ts';
import { DURATION_BUCKETS_MS, durationBucket } from '../store/summarySelects.ts';

export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

type Row = Record<string, string | number | null>;

const FINAL_STATUSES = ['completed', 'partial', 'failed', 'stopped', 'interrupted'];

/** Everything summarized lies before the watermark; rows from it on are read as they are. */
function watermark(store: Store): string {
  return getRetentionState(store)?.summarizedUntil ?? '';
}

const PROJECT_TOTALS = (column: string) => `
  SELECT instance, project, SUM(n) AS value FROM (
    SELECT instance_name AS instance, project_key AS project, instance_id, ${column} AS n FROM daily_project_summaries
    UNION ALL
    SELECT d.instance_name, d.project_key, d.instance_id, d.${column}
    FROM sync_project_details d
    WHERE d.sync_id IN (SELECT sync_id FROM sync_runs WHERE started_at >= @w) AND d.status <> 'running') t
  GROUP BY instance_id, project, instance ORDER BY instance, project`;

const QUERIES = {
  runsByStatus: `
    SELECT status, SUM(n) AS value FROM (
      ${FINAL_STATUSES.map((s) => `SELECT '${s}' AS status, ${s} AS n FROM daily_run_summaries`).join(' UNION ALL ')}
      UNION ALL SELECT status, COUNT(*) FROM sync_runs WHERE started_at >= @w AND status <> 'running' GROUP BY status) t
    GROUP BY status ORDER BY status`,
  durations: `
    SELECT SUM(c) AS count, SUM(total) AS sum FROM (
      SELECT duration_count AS c, duration_total_ms AS total FROM daily_run_summaries
      UNION ALL SELECT COUNT(duration_ms), COALESCE(SUM(duration_ms), 0) FROM sync_runs
      WHERE started_at >= @w AND status <> 'running' AND duration_ms IS NOT NULL) t`,
  durationBuckets: `
    SELECT le_ms AS le, SUM(n) AS value FROM (
      SELECT le_ms, runs AS n FROM daily_duration_buckets
      UNION ALL SELECT ${durationBucket('duration_ms')}, 1
      FROM sync_runs WHERE started_at >= @w AND status <> 'running' AND duration_ms IS NOT NULL) t
    WHERE le_ms IS NOT NULL GROUP BY le_ms`,
  runFailures: `
    SELECT category, SUM(n) AS value FROM (
      SELECT category, failures AS n FROM daily_failure_summaries WHERE level = 'run'
      UNION ALL SELECT error_category, COUNT(*) FROM sync_runs
      WHERE started_at >= @w AND status IN ('failed', 'partial') AND error_category IS NOT NULL GROUP BY error_category) t
    GROUP BY category ORDER BY category`,
  projectFailures: `
    SELECT instance, project, category, SUM(n) AS value FROM (
      SELECT instance_id, instance_name AS instance, project_key AS project, category, failures AS n
      FROM daily_failure_summaries WHERE level = 'project'
      UNION ALL SELECT d.instance_id, d.instance_name, d.project_key, d.error_category, 1
      FROM sync_project_details d
      WHERE d.sync_id IN (SELECT sync_id FROM sync_runs WHERE started_at >= @w) AND d.status = 'failed' AND d.error_category IS NOT NULL) t
    GROUP BY instance_id, instance, project, category ORDER BY instance, project, category`,
  processed: PROJECT_TOTALS('issues_processed'),
  created: PROJECT_TOTALS('issues_created'),
  updated: PROJECT_TOTALS('issues_updated'),
  deleted: PROJECT_TOTALS('issues_deleted'),
  apiCalls: PROJECT_TOTALS('api_calls'),
  retries: PROJECT_TOTALS('retries'),
  rateLimited: PROJECT_TOTALS('rate_limited'),
  // The latest finished record of each mirrored project (found backwards on the project index): its latencies.
  latency: `
    SELECT d.instance_name AS instance, d.project_key AS project, d.latency_p50_ms AS p50, d.latency_p95_ms AS p95,
           d.latency_max_ms AS pmax
    FROM sync_project_details d
    WHERE d.id IN (SELECT (SELECT x.id FROM sync_project_details x
                           WHERE x.instance_id = p.instance_id AND x.project_key = p.key AND x.status <> 'running'
                             AND x.latency_p50_ms IS NOT NULL
                           ORDER BY x.started_at DESC LIMIT 1)
                   FROM projects p)
    ORDER BY instance, project`,
  lastSuccess: `
    SELECT i.name AS instance, p.key AS project, p.last_synced_at AS at FROM projects p JOIN instances i ON i.id = p.instance_id
    WHERE p.last_synced_at IS NOT NULL ORDER BY instance, project`,
  mirrored: `
    SELECT n.name AS instance, i.project_key AS project, COUNT(*) AS value FROM issues i JOIN instances n ON n.id = i.instance_id
    WHERE i.deleted_at IS NULL GROUP BY n.name, i.project_key ORDER BY instance, project`,
  running: `SELECT COUNT(*) AS value FROM sync_runs WHERE status = 'running'`,
};

function rows(store: Store, sql: string): Row[] {
  return store.statement(sql).all({ w: watermark(store) }) as Row[];
}

const seconds = (ms: unknown) => Number(ms) / 1000;

/** A registry whose every metric is read from the store when scraped. */
export function createMetricsRegistry(store: Store): Registry {
  const registry = new Registry();
  const counter = (name: string, help: string, labelNames: string[], fill: (metric: Counter) => void) =>
    new Counter({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        fill(this);
      },
    });
  const gauge = (name: string, help: string, labelNames: string[], fill: (metric: Gauge) => void) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        fill(this);
      },
    });
  const perProject = (query: string) => (metric: Counter) => {
    for (const row of rows(store, query)) metric.inc({ instance: String(row.instance), project: String(row.project) }, Number(row.value));
  };

  registry.registerMetric(durationHistogram(store) as never);
  counter('jira_mirror_sync_runs_total', 'Finished sync runs by final status.', ['status'], (m) => {
    // Every final status is present from the start (0 until a run ends so), as Prometheus advises.
    const counts = new Map<string, number>(FINAL_STATUSES.map((status) => [status, 0]));
    for (const row of rows(store, QUERIES.runsByStatus)) counts.set(String(row.status), Number(row.value));
    for (const [status, n] of counts) m.inc({ status }, n);
  });
  counter('jira_mirror_sync_failures_total', 'Failed and partial runs by failure category.', ['category'], (m) => {
    for (const row of rows(store, QUERIES.runFailures)) m.inc({ category: String(row.category) }, Number(row.value));
  });
  counter('jira_mirror_project_failures_total', 'Failed project syncs by failure category.', ['instance', 'project', 'category'], (m) => {
    for (const row of rows(store, QUERIES.projectFailures)) {
      m.inc({ instance: String(row.instance), project: String(row.project), category: String(row.category) }, Number(row.value));
    }
  });
  const projectLabels = ['instance', 'project'];
  counter('jira_mirror_issues_processed_total', 'Issues read from Jira.', projectLabels, perProject(QUERIES.processed));
  counter('jira_mirror_issues_created_total', 'Issues new to the mirror.', projectLabels, perProject(QUERIES.created));
  counter('jira_mirror_issues_updated_total', 'Mirrored issues that changed.', projectLabels, perProject(QUERIES.updated));
  counter('jira_mirror_issues_deleted_total', 'Issues found deleted or moved away in Jira.', projectLabels, perProject(QUERIES.deleted));
  counter('jira_mirror_api_requests_total', 'Requests sent to Jira.', projectLabels, perProject(QUERIES.apiCalls));
  counter('jira_mirror_api_retries_total', 'Requests retried (429, 5xx, resets, timeouts).', projectLabels, perProject(QUERIES.retries));
  counter('jira_mirror_api_rate_limited_total', 'Responses 429 Too Many Requests.', projectLabels, perProject(QUERIES.rateLimited));
  gauge(
    'jira_mirror_api_latency_seconds',
    "Jira's response time in each project's latest sync: quantile 0.5, 0.95 and 1 (the slowest).",
    ['instance', 'project', 'quantile'],
    (m) => {
      for (const row of rows(store, QUERIES.latency)) {
        const labels = { instance: String(row.instance), project: String(row.project) };
        m.set({ ...labels, quantile: '0.5' }, seconds(row.p50));
        if (row.p95 !== null) m.set({ ...labels, quantile: '0.95' }, seconds(row.p95));
        if (row.pmax !== null) m.set({ ...labels, quantile: '1' }, seconds(row.pmax));
      }
    },
  );
  const lastSuccess = () => rows(store, QUERIES.lastSuccess);
  gauge('jira_mirror_last_success_timestamp_seconds', "When each project's last successful sync ended (Unix time).", projectLabels, (m) => {
    for (const row of lastSuccess())
      m.set({ instance: String(row.instance), project: String(row.project) }, Date.parse(String(row.at)) / 1000);
  });
  gauge(
    'jira_mirror_instance_last_success_timestamp_seconds',
    "When an instance's latest project sync succeeded (Unix time).",
    ['instance'],
    (m) => {
      const latest = new Map<string, number>();
      for (const row of lastSuccess())
        latest.set(String(row.instance), Math.max(latest.get(String(row.instance)) ?? 0, Date.parse(String(row.at)) / 1000));
      for (const [instance, at] of latest) m.set({ instance }, at);
    },
  );
  gauge('jira_mirror_mirrored_issues', 'Live issues in the mirror.', projectLabels, (m) => {
    for (const row of rows(store, QUERIES.mirrored))
      m.set({ instance: String(row.instance), project: String(row.project) }, Number(row.value));
  });
  gauge('jira_mirror_database_size_bytes', 'The database file plus its write-ahead log.', [], (m) => {
    const { main, wal } = databaseFileSizes(store);
    m.set(main + wal);
  });
  gauge('jira_mirror_sync_running', 'Syncs running now (0 or 1).', [], (m) => {
    m.set(Number(rows(store, QUERIES.running)[0]!.value));
  });
  return registry;
}

/**
 * The sync duration histogram, from SQL bucket counts (prom-client's Histogram only counts
 * observations it is given one by one): registered as a metric object prom-client formats.
 */
function durationHistogram(store: Store) {
  const name = 'jira_mirror_sync_duration_seconds';
  const help = 'Duration of finished sync runs.';
  return {
    name,
    help,
    type: 'histogram',
    aggregator: 'sum',
    get() {
      const counts = new Map(rows(store, QUERIES.durationBuckets).map((row) => [Number(row.le), Number(row.value)]));
      const totals = rows(store, QUERIES.durations)[0]!;
      const values: Array<MetricValue<string> & { metricName: string }> = [];
      let cumulative = 0;
      for (const le of DURATION_BUCKETS_MS) {
        cumulative += counts.get(le) ?? 0;
        values.push({ metricName: `${name}_bucket`, labels: { le: seconds(le) }, value: cumulative });
      }
      const count = Number(totals.count ?? 0);
      values.push({ metricName: `${name}_bucket`, labels: { le: '+Inf' }, value: count });
      values.push({ metricName: `${name}_sum`, labels: {}, value: seconds(totals.sum ?? 0) });
      values.push({ metricName: `${name}_count`, labels: {}, value: count });
      return { name, help, type: 'histogram', aggregator: 'sum', values };
    },
  };
}

/** The metrics text, once (`jira-mirror metrics`). */
export async function metricsText(store: Store): Promise<string> {
  return createMetricsRegistry(store).metrics();
}
