/**
 * Repository of sync runs, their per-project details and their performance samples.
 * Every count and aggregate is computed by SQL over all matching rows, never in JavaScript.
 */
import { orm } from './orm.ts';
import type {
  ErrorCategory,
  Initiator,
  MetricSample,
  PerformanceConfig,
  ProjectDetail,
  ProjectStatus,
  ProjectVerification,
  Run,
  RunDetail,
  RunStatus,
} from '../shared/model.ts';
import { writeCells } from './analyticsCells.ts';
import { nowIso, type Store } from './db.ts';
import { syncPerformanceMetrics, syncProjectDetails, syncRunInstances, syncRuns } from './schema.ts';

const { asc, eq } = orm;

type RunRow = typeof syncRuns.$inferSelect;
type ProjectRow = typeof syncProjectDetails.$inferSelect;

export function toRun(row: RunRow): Run {
  return {
    id: row.id,
    status: row.status,
    initiatedBy: row.initiatedBy as Initiator,
    startedAt: row.startedAt,
    completedAt: row.completedAt,
    durationMs: row.durationMs,
    totalProjects: row.totalProjects,
    successfulProjects: row.successfulProjects,
    failedProjects: row.failedProjects,
    totalIssues: row.totalIssues,
    issuesCreated: row.issuesCreated,
    issuesUpdated: row.issuesUpdated,
    issuesUnchanged: row.issuesUnchanged,
    issuesDeleted: row.issuesDeleted,
    errorMessage: row.errorMessage,
    errorCategory: row.errorCategory as ErrorCategory | null,
  };
}

function toProjectDetail(row: ProjectRow): ProjectDetail {
  return {
    instance: row.instanceName,
    projectKey: row.projectKey,
    status: row.status,
    startedAt: row.startedAt,
    completedAt: row.completedAt,
    durationMs: row.durationMs,
    issuesProcessed: row.issuesProcessed,
    issuesCreated: row.issuesCreated,
    issuesUpdated: row.issuesUpdated,
    issuesUnchanged: row.issuesUnchanged,
    issuesDeleted: row.issuesDeleted,
    errorMessage: row.errorMessage,
    errorCategory: row.errorCategory as ErrorCategory | null,
    apiCalls: row.apiCalls,
    retries: row.retries,
    rateLimited: row.rateLimited,
    pages: row.pages,
    latencyP50Ms: row.latencyP50Ms,
    latencyP95Ms: row.latencyP95Ms,
    latencyMaxMs: row.latencyMaxMs,
    waitMs: row.waitMs,
    parseMs: row.parseMs,
    writeMs: row.writeMs,
    verification:
      row.verificationResult && row.verificationMethod && row.verificationBefore
        ? {
            result: row.verificationResult,
            method: row.verificationMethod,
            jiraCount: row.verificationJiraCount ?? 0,
            mirrorCount: row.verificationMirrorCount ?? 0,
            before: row.verificationBefore,
          }
        : null,
  };
}

export interface NewRun {
  id: string;
  initiatedBy: Initiator;
  performanceConfig: PerformanceConfig;
  ownerPid: number;
  ownerHost: string;
  startedAtMs?: number;
}

export function createRun(store: Store, run: NewRun): Run {
  const startedAt = nowIso(run.startedAtMs);
  const row = store.db
    .insert(syncRuns)
    .values({
      id: run.id,
      startedAt,
      status: 'running',
      initiatedBy: run.initiatedBy,
      performanceConfig: JSON.stringify(run.performanceConfig),
      ownerPid: run.ownerPid,
      ownerHost: run.ownerHost,
      heartbeatAt: startedAt,
    })
    .returning()
    .get();
  return toRun(row);
}

/** Records which instances a run was asked to sync (see `sync_run_instances`). */
export function recordRunInstances(store: Store, runId: string, instances: Array<{ id: string; name: string }>): void {
  if (instances.length === 0) return;
  store.db
    .insert(syncRunInstances)
    .values(instances.map((instance) => ({ runId, instanceId: instance.id, instanceName: instance.name })))
    .onConflictDoNothing()
    .run();
}

/** The Jira version an instance reported during the run (serverInfo), for "what changed" before a failure. */
export function recordRunInstanceVersion(store: Store, runId: string, instance: { id: string; name: string }, jiraVersion: string): void {
  store.db
    .insert(syncRunInstances)
    .values({ runId, instanceId: instance.id, instanceName: instance.name, jiraVersion })
    .onConflictDoUpdate({ target: [syncRunInstances.runId, syncRunInstances.instanceId], set: { jiraVersion } })
    .run();
}

export function setRunProjectCount(store: Store, runId: string, totalProjects: number): void {
  store.db.update(syncRuns).set({ totalProjects }).where(eq(syncRuns.id, runId)).run();
}

/**
 * Recomputes a run's counters from its project details (the single source of truth), and
 * refreshes its heartbeat. Called after every committed page, so a crash leaves exact counts.
 */
export function refreshRunCounters(store: Store, runId: string, atMs: number = Date.now()): Run {
  store
    .statement(
      `UPDATE sync_runs SET
         successful_projects = t.ok, failed_projects = t.failed, total_issues = t.processed,
         issues_created = t.created, issues_updated = t.updated, issues_unchanged = t.unchanged,
         issues_deleted = t.deleted, heartbeat_at = @at
       FROM (SELECT COUNT(*) FILTER (WHERE status = 'completed') AS ok,
                    COUNT(*) FILTER (WHERE status = 'failed') AS failed,
                    COALESCE(SUM(issues_processed), 0) AS processed, COALESCE(SUM(issues_created), 0) AS created,
                    COALESCE(SUM(issues_updated), 0) AS updated, COALESCE(SUM(issues_unchanged), 0) AS unchanged,
                    COALESCE(SUM(issues_deleted), 0) AS deleted
             FROM sync_project_details WHERE sync_id = @runId) AS t
       WHERE sync_id = @runId`,
    )
    .run({ runId, at: nowIso(atMs) });
  return getRun(store, runId)!;
}

export interface RunOutcome {
  status: Exclude<RunStatus, 'running'>;
  errorMessage?: string | null;
  errorCategory?: ErrorCategory | null;
  completedAtMs?: number;
}

/** Ends a run: final counters, status, duration. Idempotent for an already finished run. */
export function finalizeRun(store: Store, runId: string, outcome: RunOutcome): Run {
  const completedAtMs = outcome.completedAtMs ?? Date.now();
  store.sqlite.transaction(() => {
    // Projects still marked running at the end were cut short by the same cause as the run.
    const projectStatus: ProjectStatus = outcome.status === 'interrupted' ? 'interrupted' : 'stopped';
    store
      .statement(
        `UPDATE sync_project_details SET status = @projectStatus, completed_at = @completedAt,
           duration_ms = CAST(ROUND((julianday(@completedAt) - julianday(started_at)) * 86400000) AS INTEGER)
         WHERE sync_id = @runId AND status = 'running'`,
      )
      .run({ runId, projectStatus, completedAt: nowIso(completedAtMs) });
    refreshRunCounters(store, runId, completedAtMs);
    store
      .statement(
        `UPDATE sync_runs SET status = @status, completed_at = @completedAt, error_message = @errorMessage,
           error_category = @errorCategory,
           duration_ms = CAST(ROUND((julianday(@completedAt) - julianday(started_at)) * 86400000) AS INTEGER)
         WHERE sync_id = @runId AND status = 'running'`,
      )
      .run({
        runId,
        status: outcome.status,
        completedAt: nowIso(completedAtMs),
        errorMessage: outcome.errorMessage ?? null,
        errorCategory: outcome.errorCategory ?? null,
      });
    // A month is summed for the analytics once over and no run started in it is running any more.
    writeCells(store, completedAtMs);
  })();
  return getRun(store, runId)!;
}

export function getRun(store: Store, runId: string): Run | null {
  const row = store.db.select().from(syncRuns).where(eq(syncRuns.id, runId)).get();
  return row ? toRun(row) : null;
}

export function getRunDetail(store: Store, runId: string): RunDetail | null {
  const row = store.db.select().from(syncRuns).where(eq(syncRuns.id, runId)).get();
  if (!row) return null;
  const projects = store.db
    .select()
    .from(syncProjectDetails)
    .where(eq(syncProjectDetails.runId, runId))
    .orderBy(asc(syncProjectDetails.instanceName), asc(syncProjectDetails.projectKey))
    .all()
    .map(toProjectDetail);
  const metrics: MetricSample[] = store.db
    .select({
      metric: syncPerformanceMetrics.metric,
      projectKey: syncPerformanceMetrics.projectKey,
      recordedAt: syncPerformanceMetrics.recordedAt,
      value: syncPerformanceMetrics.value,
    })
    .from(syncPerformanceMetrics)
    .where(eq(syncPerformanceMetrics.runId, runId))
    .orderBy(asc(syncPerformanceMetrics.recordedAt), asc(syncPerformanceMetrics.id))
    .all();
  const instances = store.db
    .select({ name: syncRunInstances.instanceName, jiraVersion: syncRunInstances.jiraVersion })
    .from(syncRunInstances)
    .where(eq(syncRunInstances.runId, runId))
    .orderBy(asc(syncRunInstances.instanceName))
    .all();
  return {
    ...toRun(row),
    projects,
    metrics,
    instances,
    performanceConfig: row.performanceConfig ? (JSON.parse(row.performanceConfig) as PerformanceConfig) : null,
    peakRssBytes: row.peakRssBytes,
    peakHeapBytes: row.peakHeapBytes,
    notices: JSON.parse(row.notices) as string[],
  };
}

export interface NewProjectDetail {
  runId: string;
  instanceId: string;
  instanceName: string;
  projectKey: string;
  startedAtMs?: number;
}

export function startProjectDetail(store: Store, detail: NewProjectDetail): number {
  return store.db
    .insert(syncProjectDetails)
    .values({
      runId: detail.runId,
      instanceId: detail.instanceId,
      instanceName: detail.instanceName,
      projectKey: detail.projectKey,
      startedAt: nowIso(detail.startedAtMs),
      status: 'running',
    })
    .returning({ id: syncProjectDetails.id })
    .get().id;
}

export interface PageCounts {
  processed: number;
  created: number;
  updated: number;
  unchanged: number;
  deleted?: number;
}

/** Adds one committed page's counts; runs inside the page's transaction. */
export function addProjectPageCounts(store: Store, detailId: number, counts: PageCounts): void {
  store
    .statement(
      `UPDATE sync_project_details SET pages = pages + 1, issues_processed = issues_processed + @processed,
         issues_created = issues_created + @created, issues_updated = issues_updated + @updated,
         issues_unchanged = issues_unchanged + @unchanged, issues_deleted = issues_deleted + @deleted
       WHERE id = @detailId`,
    )
    .run({ detailId, deleted: 0, ...counts });
}

export interface ProjectOutcome {
  status: Exclude<ProjectStatus, 'running'>;
  errorMessage?: string | null;
  errorCategory?: ErrorCategory | null;
  apiCalls: number;
  retries: number;
  rateLimited: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  latencyMaxMs: number | null;
  waitMs: number;
  parseMs: number;
  writeMs: number;
  completedAtMs?: number;
}

export function finishProjectDetail(store: Store, detailId: number, outcome: ProjectOutcome): void {
  const completedAt = nowIso(outcome.completedAtMs);
  store
    .statement(
      `UPDATE sync_project_details SET status = @status, completed_at = @completedAt,
         duration_ms = CAST(ROUND((julianday(@completedAt) - julianday(started_at)) * 86400000) AS INTEGER),
         error_message = @errorMessage, error_category = @errorCategory, api_calls = @apiCalls, retries = @retries,
         rate_limited = @rateLimited, latency_p50_ms = @latencyP50Ms, latency_p95_ms = @latencyP95Ms,
         latency_max_ms = @latencyMaxMs, wait_ms = @waitMs, parse_ms = @parseMs, write_ms = @writeMs
       WHERE id = @detailId`,
    )
    .run({
      detailId,
      completedAt,
      status: outcome.status,
      errorMessage: outcome.errorMessage ?? null,
      errorCategory: outcome.errorCategory ?? null,
      apiCalls: outcome.apiCalls,
      retries: outcome.retries,
      rateLimited: outcome.rateLimited,
      latencyP50Ms: outcome.latencyP50Ms,
      latencyP95Ms: outcome.latencyP95Ms,
      latencyMaxMs: outcome.latencyMaxMs,
      waitMs: Math.round(outcome.waitMs),
      parseMs: Math.round(outcome.parseMs),
      writeMs: Math.round(outcome.writeMs),
    });
}

/** Records a project's completeness check (see ProjectVerification). */
export function recordVerification(store: Store, detailId: number, verification: ProjectVerification): void {
  store.db
    .update(syncProjectDetails)
    .set({
      verificationResult: verification.result,
      verificationMethod: verification.method,
      verificationJiraCount: verification.jiraCount,
      verificationMirrorCount: verification.mirrorCount,
      verificationBefore: verification.before,
    })
    .where(eq(syncProjectDetails.id, detailId))
    .run();
}

/** Adds a notice to the run, once: the same text added again changes nothing. */
export function addRunNotice(store: Store, runId: string, notice: string): void {
  store
    .statement(
      `UPDATE sync_runs SET notices = json_insert(notices, '$[#]', @notice)
       WHERE sync_id = @runId AND NOT EXISTS (SELECT 1 FROM json_each(notices) WHERE value = @notice)`,
    )
    .run({ runId, notice });
}

export function recordRunPeaks(store: Store, runId: string, peaks: { rssBytes: number; heapBytes: number }): void {
  store.db.update(syncRuns).set({ peakRssBytes: peaks.rssBytes, peakHeapBytes: peaks.heapBytes }).where(eq(syncRuns.id, runId)).run();
}

export function insertMetricSamples(store: Store, runId: string, samples: MetricSample[]): void {
  if (samples.length === 0) return;
  store.db
    .insert(syncPerformanceMetrics)
    .values(samples.map((s) => ({ runId, ...s })))
    .run();
}

type OwnerCheck = (owner: { pid: number; host: string; heartbeatAt: string | null }) => boolean;

/** A run still `running` whose owning process is alive (this one or another), if any. */
export function findLiveRun(store: Store, isOwnerAlive: OwnerCheck): (Run & { ownerPid: number }) | null {
  const running = store.db.select().from(syncRuns).where(eq(syncRuns.status, 'running')).all();
  const live = running.find(
    (row) =>
      row.ownerPid !== null &&
      (row.ownerPid === process.pid || isOwnerAlive({ pid: row.ownerPid, host: row.ownerHost ?? '', heartbeatAt: row.heartbeatAt })),
  );
  return live ? { ...toRun(live), ownerPid: live.ownerPid! } : null;
}

/**
 * Marks runs left `running` by a process that no longer exists (crash, kill -9, power loss) as
 * `interrupted`, keeping what they had committed. A run owned by a live process is left alone.
 */
export function markInterruptedRuns(store: Store, isOwnerAlive: OwnerCheck): Run[] {
  const running = store.db.select().from(syncRuns).where(eq(syncRuns.status, 'running')).all();
  const orphans = running.filter(
    (row) => row.ownerPid === null || !isOwnerAlive({ pid: row.ownerPid, host: row.ownerHost ?? '', heartbeatAt: row.heartbeatAt }),
  );
  return orphans.map((row) =>
    finalizeRun(store, row.id, {
      status: 'interrupted',
      errorMessage: 'The process running this sync ended unexpectedly; committed pages were kept.',
      // The last heartbeat is the best estimate of when the run actually ended.
      completedAtMs: Date.parse(row.heartbeatAt ?? row.startedAt),
    }),
  );
}
