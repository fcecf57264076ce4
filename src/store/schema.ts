/**
 * The SQLite schema (drizzle). `npx drizzle-kit generate` turns changes here into the SQL migrations
 * under `drizzle/`, which are committed and applied at startup by `openStore`.
 *
 * Instants are ISO-8601 UTC text (sortable, readable in any SQLite client); durations are integer ms.
 * Secrets never appear in any table: instances only record where a token comes from.
 */
import { orm, sqliteCore } from './orm.ts';

const { sql } = orm;
const { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } = sqliteCore;

export const instances = sqliteTable(
  'instances',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    url: text('url').notNull(),
    flavor: text('flavor', { enum: ['cloud', 'datacenter'] }).notNull(),
    email: text('email'),
    credential: text('credential', { enum: ['stored', 'env', 'demo'] }).notNull(),
    tokenEnv: text('token_env'),
    /** For the demo instance: the simulator seed and the instant its data is anchored to. */
    demoSeed: integer('demo_seed'),
    demoAnchor: text('demo_anchor'),
    createdAt: text('created_at').notNull(),
    /** A disabled instance is left out of a sync of all instances (naming it still syncs it). */
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    /** JSON array of the project keys to mirror; null mirrors every project the server lists. */
    projectKeys: text('project_keys'),
  },
  (t) => [uniqueIndex('instances_name_unique').on(t.name)],
);

export const projects = sqliteTable(
  'projects',
  {
    instanceId: text('instance_id')
      .notNull()
      .references(() => instances.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    jiraId: text('jira_id'),
    name: text('name'),
    /** Largest `updated` (epoch ms) committed for this project: the incremental cursor. */
    cursorUpdatedMs: integer('cursor_updated_ms'),
    lastSyncedAt: text('last_synced_at'),
    syncCount: integer('sync_count').notNull().default(0),
    /** Why the next sync must re-read the whole project (a failed completeness check); null when not. */
    repairReason: text('repair_reason'),
  },
  (t) => [primaryKey({ columns: [t.instanceId, t.key] })],
);

/**
 * A large project's first sync is split into `updated` ranges paged by several workers at once.
 * Each range remembers what it committed, so a crashed or stopped sync resumes every range exactly.
 */
export const syncSlices = sqliteTable(
  'sync_slices',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    instanceId: text('instance_id')
      .notNull()
      .references(() => instances.id, { onDelete: 'cascade' }),
    projectKey: text('project_key').notNull(),
    /** Inclusive lower bound of `updated` (epoch ms); null = from the beginning. */
    fromMs: integer('from_ms'),
    /** Exclusive upper bound; null = open-ended (the last range also catches changes made during the sync). */
    toMs: integer('to_ms'),
    /** Largest `updated` committed within this range. */
    committedMs: integer('committed_ms'),
    done: integer('done', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [index('sync_slices_project_idx').on(t.instanceId, t.projectKey)],
);

/**
 * The mirror: one narrow row per issue (what lists, filters and counts read), its raw JSON apart in
 * `issue_bodies`. `seq` is an explicit integer key, so it stays put through VACUUM: the full-text
 * index and the bodies are addressed by it.
 */
export const issues = sqliteTable(
  'issues',
  {
    seq: integer('seq').primaryKey(),
    instanceId: text('instance_id')
      .notNull()
      .references(() => instances.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    key: text('key').notNull(),
    projectKey: text('project_key').notNull(),
    summary: text('summary').notNull(),
    status: text('status'),
    statusCategory: text('status_category'),
    issueType: text('issue_type'),
    priority: text('priority'),
    assignee: text('assignee'),
    reporter: text('reporter'),
    created: text('created'),
    updated: text('updated').notNull(),
    updatedMs: integer('updated_ms').notNull(),
    resolution: text('resolution'),
    labels: text('labels').notNull().default('[]'),
    contentHash: text('content_hash').notNull(),
    /** Set when a sweep finds the issue gone from Jira (deleted, moved or hidden). */
    deletedAt: text('deleted_at'),
    firstSeenRunId: text('first_seen_run_id'),
    lastChangedRunId: text('last_changed_run_id'),
  },
  // Every index costs the writer time per issue: four, each serving several readers. Partial
  // indexes hold live issues only, which is all that lists, filters and counts read. One keyed by
  // id or key is touched all over at every commit (ids do not follow `updated`): an index on the
  // key, which nothing read (an issue opens by id, a key is found through the full-text index),
  // cost the writer a quarter of its CPU and was dropped.
  (t) => [
    // The writer's lookups by Jira id, and opening an issue.
    uniqueIndex('issues_instance_issue_unique').on(t.instanceId, t.id),
    // Per project: the completeness check's counts, the sweep, the mirror-size metric, browsing a project.
    index('issues_live_project_idx')
      .on(t.instanceId, t.projectKey, t.updatedMs)
      .where(sql`${t.deletedAt} IS NULL`),
    // Pages newest first under any filter: the filters are checked in the entries and skipped rows
    // (OFFSET) are never read from the table; `seq` as a column makes the order the page's order.
    index('issues_live_browse_idx')
      .on(t.updatedMs, t.seq, t.instanceId, t.projectKey, t.status, t.issueType, t.assignee)
      .where(sql`${t.deletedAt} IS NULL`),
    // Counts under any filter and the facets: each scope's combinations grouped in index order.
    index('issues_live_facets_idx')
      .on(t.instanceId, t.projectKey, t.status, t.issueType, t.assignee, t.updatedMs)
      .where(sql`${t.deletedAt} IS NULL`),
  ],
);

/**
 * Each mirrored issue's JSON exactly as Jira sent it (several KB), kept out of the narrow rows. A
 * trigger removes it with its issue (a foreign key would cost a parent lookup on every write).
 */
export const issueBodies = sqliteTable('issue_bodies', {
  issueSeq: integer('issue_seq').primaryKey(),
  rawJson: text('raw_json').notNull(),
});

/**
 * Every change to the full-text index, in order: the issue writer adds the row id of each issue it
 * indexes, the delete triggers each issue leaving the index. The last `id` is the index's
 * generation; the rows after a generation are the issues whose text or length may differ since,
 * which is what lets a ranking computed then be carried forward exactly (see issueRanking.ts).
 * Pruned from the oldest after each run.
 */
export const issueTextChanges = sqliteTable('issue_text_changes', {
  id: integer('id').primaryKey(),
  seq: integer('seq').notNull(),
});

export const syncRuns = sqliteTable(
  'sync_runs',
  {
    id: text('sync_id').primaryKey(),
    startedAt: text('started_at').notNull(),
    completedAt: text('completed_at'),
    status: text('status', {
      enum: ['running', 'completed', 'partial', 'failed', 'stopped', 'interrupted'],
    }).notNull(),
    totalProjects: integer('total_projects').notNull().default(0),
    successfulProjects: integer('successful_projects').notNull().default(0),
    failedProjects: integer('failed_projects').notNull().default(0),
    totalIssues: integer('total_issues').notNull().default(0),
    issuesCreated: integer('issues_created').notNull().default(0),
    issuesUpdated: integer('issues_updated').notNull().default(0),
    issuesUnchanged: integer('issues_unchanged').notNull().default(0),
    issuesDeleted: integer('issues_deleted').notNull().default(0),
    durationMs: integer('duration_ms'),
    errorMessage: text('error_message'),
    errorCategory: text('error_category'),
    initiatedBy: text('initiated_by').notNull(),
    /** JSON snapshot of the performance config the run used. */
    performanceConfig: text('performance_config'),
    /** Which process owns a running run, so another process never marks a live run interrupted. */
    ownerPid: integer('owner_pid'),
    ownerHost: text('owner_host'),
    heartbeatAt: text('heartbeat_at'),
    /** High-water marks of the engine's memory during the run. */
    peakRssBytes: integer('peak_rss_bytes'),
    peakHeapBytes: integer('peak_heap_bytes'),
    /** JSON array of notices: what the run worked around (an optional endpoint missing, …). */
    notices: text('notices').notNull().default('[]'),
  },
  (t) => [
    index('sync_runs_started_at_idx').on(t.startedAt),
    index('sync_runs_status_idx').on(t.status, t.startedAt),
    index('sync_runs_initiated_by_idx').on(t.initiatedBy, t.startedAt),
  ],
);

/**
 * Which instances a run was asked to sync (written when the run starts), so history can be filtered
 * by instance even for a run that failed before reaching any project. Names are snapshots, like
 * `sync_project_details.instance_name`: history stays readable after an instance is removed.
 */
export const syncRunInstances = sqliteTable(
  'sync_run_instances',
  {
    runId: text('sync_id')
      .notNull()
      .references(() => syncRuns.id, { onDelete: 'cascade' }),
    instanceId: text('instance_id').notNull(),
    instanceName: text('instance_name').notNull(),
    /** The version the instance's serverInfo reported during the run; null when it could not be read. */
    jiraVersion: text('jira_version'),
  },
  (t) => [primaryKey({ columns: [t.runId, t.instanceId] }), index('sync_run_instances_name_idx').on(t.instanceName, t.runId)],
);

export const syncProjectDetails = sqliteTable(
  'sync_project_details',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    runId: text('sync_id')
      .notNull()
      .references(() => syncRuns.id, { onDelete: 'cascade' }),
    instanceId: text('instance_id').notNull(),
    /** Snapshot of the instance name: history stays readable after an instance is removed. */
    instanceName: text('instance_name').notNull(),
    projectKey: text('project_key').notNull(),
    startedAt: text('started_at').notNull(),
    completedAt: text('completed_at'),
    durationMs: integer('duration_ms'),
    issuesProcessed: integer('issues_processed').notNull().default(0),
    issuesCreated: integer('issues_created').notNull().default(0),
    issuesUpdated: integer('issues_updated').notNull().default(0),
    issuesUnchanged: integer('issues_unchanged').notNull().default(0),
    issuesDeleted: integer('issues_deleted').notNull().default(0),
    status: text('status', { enum: ['running', 'completed', 'failed', 'stopped', 'interrupted'] }).notNull(),
    errorMessage: text('error_message'),
    errorCategory: text('error_category'),
    apiCalls: integer('api_calls').notNull().default(0),
    retries: integer('retries').notNull().default(0),
    rateLimited: integer('rate_limited').notNull().default(0),
    pages: integer('pages').notNull().default(0),
    latencyP50Ms: real('latency_p50_ms'),
    latencyP95Ms: real('latency_p95_ms'),
    latencyMaxMs: real('latency_max_ms'),
    /** Phase timings: waiting for Jira, parsing and validating pages, writing them to SQLite. */
    waitMs: integer('wait_ms'),
    parseMs: integer('parse_ms'),
    writeMs: integer('write_ms'),
    /** The completeness check (see ProjectVerification); null until the project's fetch finished. */
    verificationResult: text('verification_result', { enum: ['exact', 'approximate', 'mismatch'] }),
    verificationMethod: text('verification_method', { enum: ['total', 'approximate-count', 'sweep'] }),
    verificationJiraCount: integer('verification_jira_count'),
    verificationMirrorCount: integer('verification_mirror_count'),
    verificationBefore: text('verification_before'),
  },
  (t) => [
    index('sync_project_details_run_idx').on(t.runId),
    index('sync_project_details_project_idx').on(t.instanceId, t.projectKey, t.startedAt),
    // Retention finds the details older than its cutoff by their start.
    index('sync_project_details_started_idx').on(t.startedAt),
    // The analytics' failure patterns read the failed project runs of a period, from the entries alone.
    index('sync_project_details_failed_idx')
      .on(t.startedAt, t.instanceId, t.instanceName, t.projectKey, t.errorCategory, t.errorMessage)
      .where(sql`${t.status} = 'failed'`),
    // A project's last success (or failure) before an instant in one step: the streaks, the onsets.
    index('sync_project_details_outcome_idx').on(t.instanceId, t.projectKey, t.status, t.startedAt),
  ],
);

export const syncPerformanceMetrics = sqliteTable(
  'sync_performance_metrics',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    runId: text('sync_id')
      .notNull()
      .references(() => syncRuns.id, { onDelete: 'cascade' }),
    projectKey: text('project_key'),
    recordedAt: text('recorded_at').notNull(),
    metric: text('metric').notNull(),
    value: real('value').notNull(),
  },
  (t) => [
    index('sync_performance_metrics_run_idx').on(t.runId, t.metric, t.recordedAt),
    // Retention finds the samples older than its cutoff by their time.
    index('sync_performance_metrics_recorded_idx').on(t.recordedAt),
  ],
);

export const configurations = sqliteTable('configurations', {
  configType: text('config_type').primaryKey(),
  value: text('value').notNull(),
  updatedAt: text('updated_at')
    .notNull()
    .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
});

export const configurationAudit = sqliteTable(
  'configuration_audit',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    configType: text('config_type').notNull(),
    changedAt: text('changed_at').notNull(),
    changedBy: text('changed_by').notNull(),
    before: text('before'),
    after: text('after').notNull(),
    /** Why, when not a plain edit: e.g. `recommendation raise-workers`. */
    reason: text('reason'),
  },
  (t) => [index('configuration_audit_type_idx').on(t.configType, t.changedAt)],
);

export * from './opsSchema.ts';
export * from './analyticsSchema.ts';
