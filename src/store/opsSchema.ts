/**
 * Tables of the operations features (issue 10): daily summaries that keep trends exact after
 * retention prunes runs and project details, the retention state, database growth per run, and
 * webhook subscriptions with their delivery log. Re-exported by `schema.ts` (drizzle-kit reads that).
 *
 * A summary covers one day of the summary time zone: `[day_start, day_end)` in UTC, with `day` its
 * local calendar date. Summed figures add up exactly over any range of days; percentiles are exact
 * per day (nearest rank, computed in SQL before the rows they summarize are pruned).
 */
import { sqliteCore } from './orm.ts';

const { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } = sqliteCore;

const dayColumns = () => ({
  dayStart: text('day_start').notNull(),
  day: text('day').notNull(),
  dayEnd: text('day_end').notNull(),
});

const issueCountColumns = () => ({
  issuesProcessed: integer('issues_processed').notNull(),
  issuesCreated: integer('issues_created').notNull(),
  issuesUpdated: integer('issues_updated').notNull(),
  issuesUnchanged: integer('issues_unchanged').notNull(),
  issuesDeleted: integer('issues_deleted').notNull(),
});

const durationColumns = () => ({
  /** Finished runs (or project runs) with a duration, and the sum of their durations. */
  durationCount: integer('duration_count').notNull(),
  durationTotalMs: integer('duration_total_ms').notNull(),
  durationP50Ms: integer('duration_p50_ms'),
  durationP95Ms: integer('duration_p95_ms'),
  durationMaxMs: integer('duration_max_ms'),
});

const requestColumns = () => ({
  apiCalls: integer('api_calls').notNull(),
  retries: integer('retries').notNull(),
  rateLimited: integer('rate_limited').notNull(),
  /** Nearest-rank 95th percentile of the day's per-project API latency p95s. */
  latencyP95Ms: real('latency_p95_ms'),
  latencyMaxMs: real('latency_max_ms'),
});

export const dailyRunSummaries = sqliteTable(
  'daily_run_summaries',
  {
    ...dayColumns(),
    runs: integer('runs').notNull(),
    completed: integer('completed').notNull(),
    partial: integer('partial').notNull(),
    failed: integer('failed').notNull(),
    stopped: integer('stopped').notNull(),
    interrupted: integer('interrupted').notNull(),
    ...issueCountColumns(),
    ...durationColumns(),
    ...requestColumns(),
    /** The database at the day's end (its last growth sample); null on a day without one. */
    databaseBytes: integer('database_bytes'),
    mirroredIssues: integer('mirrored_issues'),
  },
  (t) => [primaryKey({ columns: [t.dayStart] }), index('daily_run_summaries_day_idx').on(t.day)],
);

export const dailyProjectSummaries = sqliteTable(
  'daily_project_summaries',
  {
    ...dayColumns(),
    instanceId: text('instance_id').notNull(),
    instanceName: text('instance_name').notNull(),
    projectKey: text('project_key').notNull(),
    /** Runs of the day that synced this project, by the project's status in each. */
    runs: integer('runs').notNull(),
    completed: integer('completed').notNull(),
    failed: integer('failed').notNull(),
    stopped: integer('stopped').notNull(),
    interrupted: integer('interrupted').notNull(),
    ...issueCountColumns(),
    ...durationColumns(),
    ...requestColumns(),
    pages: integer('pages').notNull(),
    /** When the project last completed that day (ISO UTC); null when it never did. */
    lastSuccessAt: text('last_success_at'),
  },
  (t) => [
    primaryKey({ columns: [t.dayStart, t.instanceId, t.projectKey] }),
    index('daily_project_summaries_project_idx').on(t.instanceId, t.projectKey, t.dayStart),
  ],
);

/**
 * Failures by category per day: `level` 'run' counts failed and partial runs under the run's
 * category (instance and project empty); 'project' counts failed project runs per project.
 */
export const dailyFailureSummaries = sqliteTable(
  'daily_failure_summaries',
  {
    dayStart: text('day_start').notNull(),
    level: text('level', { enum: ['run', 'project'] }).notNull(),
    instanceId: text('instance_id').notNull(),
    instanceName: text('instance_name').notNull(),
    projectKey: text('project_key').notNull(),
    category: text('category').notNull(),
    failures: integer('failures').notNull(),
  },
  (t) => [primaryKey({ columns: [t.dayStart, t.level, t.instanceId, t.projectKey, t.category] })],
);

/** Finished runs per day by duration bucket (`(previous bound, le_ms]`, not cumulative): the metrics histogram. */
export const dailyDurationBuckets = sqliteTable(
  'daily_duration_buckets',
  {
    dayStart: text('day_start').notNull(),
    leMs: integer('le_ms').notNull(),
    runs: integer('runs').notNull(),
  },
  (t) => [primaryKey({ columns: [t.dayStart, t.leMs] })],
);

/**
 * One row: how far the summaries reach. Every run started before `summarized_until` is in the
 * summaries, and only such rows may be pruned; `time_zone` is the zone summaries' days are in.
 */
export const retentionState = sqliteTable('retention_state', {
  id: integer('id').primaryKey(),
  summarizedUntil: text('summarized_until'),
  timeZone: text('time_zone').notNull(),
  lastAppliedAt: text('last_applied_at'),
});

/** The database's size and the mirror's, recorded when each run ends. */
export const databaseGrowth = sqliteTable(
  'database_growth',
  {
    runId: text('sync_id').primaryKey(),
    recordedAt: text('recorded_at').notNull(),
    /** The database file plus its write-ahead log. */
    fileBytes: integer('file_bytes').notNull(),
    walBytes: integer('wal_bytes').notNull(),
    /** Pages in use (page_count − freelist_count) × page_size: the file minus reusable free space. */
    usedBytes: integer('used_bytes').notNull(),
    mirroredIssues: integer('mirrored_issues').notNull(),
  },
  (t) => [index('database_growth_recorded_idx').on(t.recordedAt)],
);

export const webhooks = sqliteTable('webhooks', {
  id: text('id').primaryKey(),
  url: text('url').notNull(),
  /** JSON array of webhook event names. The signing secret lives in the secret store, never here. */
  events: text('events').notNull(),
  createdAt: text('created_at').notNull(),
  createdBy: text('created_by').notNull(),
});

/** One event to deliver to one webhook: the outbox row, kept as the delivery log. */
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    webhookId: text('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    event: text('event').notNull(),
    /** The run the event is about (null for a test or an anomaly). */
    runId: text('sync_id'),
    /** The JSON body exactly as sent (signed byte for byte). */
    payload: text('payload').notNull(),
    state: text('state', { enum: ['pending', 'delivered', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: text('next_attempt_at'),
    /** A process delivering the row holds it until then (the app and a CLI cron job never both send it). */
    claimedUntil: text('claimed_until'),
    createdAt: text('created_at').notNull(),
    completedAt: text('completed_at'),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_event_unique').on(t.webhookId, t.event, t.runId),
    index('webhook_deliveries_due_idx').on(t.state, t.nextAttemptAt),
    index('webhook_deliveries_hook_idx').on(t.webhookId, t.createdAt),
  ],
);

export const webhookAttempts = sqliteTable(
  'webhook_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    deliveryId: text('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    attempt: integer('attempt').notNull(),
    attemptedAt: text('attempted_at').notNull(),
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId, t.attempt)],
);
