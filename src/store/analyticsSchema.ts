/**
 * Tables of the analytics (issue 9): the state of each watched series (one metric of one project
 * and kind of run), so a breach is counted across runs and an alert is raised once, and the
 * anomalies themselves with the baseline and threshold that opened them. Re-exported by `schema.ts`.
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
