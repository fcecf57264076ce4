/**
 * Tables of the analytics (issue 9): the state of each watched series (one metric of one project
 * and kind of run), so a breach is counted across runs and an alert is raised once, and the
 * anomalies themselves with the baseline and threshold that opened them; and the cells (sums of a
 * month's or a year's project syncs per project, UTC quarter hour of the week and outcome) that
 * answers over long periods read instead of every sync. Re-exported by `schema.ts`.
 */
import { sqliteCore } from './orm.ts';

const { index, integer, primaryKey, real, sqliteTable, text } = sqliteCore;

const seriesColumns = () => ({
  instanceName: text('instance_name').notNull(),
  projectKey: text('project_key').notNull(),
  /** `first` (a full read) or `incremental`: their costs differ too much to share a baseline; `any` for the failure rate. */
  kind: text('kind', { enum: ['first', 'incremental', 'any'] }).notNull(),
  metric: text('metric', { enum: ['durationPerIssue', 'issuesPerSync', 'failureRate', 'latency'] }).notNull(),
});

/** Consecutive breaches and normal runs of one series, and its open anomaly if any. */
export const anomalySeries = sqliteTable(
  'anomaly_series',
  {
    ...seriesColumns(),
    breaches: integer('breaches').notNull().default(0),
    normals: integer('normals').notNull().default(0),
    openAnomalyId: text('open_anomaly_id'),
    lastRunId: text('last_run_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.instanceName, t.projectKey, t.kind, t.metric] })],
);

export const anomalies = sqliteTable(
  'anomalies',
  {
    id: text('id').primaryKey(),
    ...seriesColumns(),
    status: text('status', { enum: ['open', 'resolved'] }).notNull(),
    openedAt: text('opened_at').notNull(),
    openedRunId: text('opened_run_id').notNull(),
    resolvedAt: text('resolved_at'),
    resolvedRunId: text('resolved_run_id'),
    /** The value of the run that opened it (the second breach in a row), and the latest one seen. */
    value: real('value').notNull(),
    lastValue: real('last_value').notNull(),
    baselineMedian: real('baseline_median').notNull(),
    baselineMad: real('baseline_mad').notNull(),
    baselineRuns: integer('baseline_runs').notNull(),
    threshold: real('threshold').notNull(),
    /** Which rule set the threshold: `mad` (enough runs) or `percent` (fewer than 20). */
    rule: text('rule', { enum: ['mad', 'percent', 'rate'] }).notNull(),
  },
  (t) => [index('anomalies_status_idx').on(t.status, t.openedAt), index('anomalies_opened_idx').on(t.openedAt)],
);

/**
 * Sums of the project syncs that ran to an outcome in one sealed UTC month (and, once its December
 * is written, one year), per instance, project, quarter hour of the week (UTC, 0 = Sunday
 * 00:00–00:15) and outcome: what the failure counts, the best time, the health sums and the
 * prediction's project list read for the whole months of a period (src/store/analyticsCells.ts).
 * A month is written once no sync started in it runs any more; a period's partial months are read
 * from the syncs themselves.
 */
export const analyticsCells = sqliteTable(
  'analytics_cells',
  {
    period: text('period', { enum: ['month', 'year'] }).notNull(),
    periodStart: text('period_start').notNull(),
    instanceId: text('instance_id').notNull(),
    instanceName: text('instance_name').notNull(),
    projectKey: text('project_key').notNull(),
    slot: integer('slot').notNull(),
    status: text('status', { enum: ['completed', 'failed'] }).notNull(),
    errorCategory: text('error_category'),
    syncs: integer('syncs').notNull(),
    apiCalls: integer('api_calls').notNull(),
    retries: integer('retries').notNull(),
    rateLimited: integer('rate_limited').notNull(),
    /** Σ latency p50 × pages, and the pages of the syncs with a latency: the page-weighted latency. */
    latencyWeighted: real('latency_weighted'),
    latencyPages: integer('latency_pages'),
    /** Duration and issues of successful syncs with issues (time per issue), and of the incremental ones among them. */
    doneMs: integer('done_ms'),
    doneIssues: integer('done_issues'),
    incrementalMs: integer('incremental_ms'),
    incrementalIssues: integer('incremental_issues'),
    lastSuccessAt: text('last_success_at'),
  },
  (t) => [index('analytics_cells_period_idx').on(t.period, t.periodStart)],
);

/** How far the cells reach: every month before `cells_until` is written. */
export const analyticsCellsState = sqliteTable('analytics_cells_state', {
  id: integer('id').primaryKey(),
  cellsUntil: text('cells_until').notNull(),
});
