/**
 * The SQL behind the failure patterns: failures by category, instance, project, local hour and
 * weekday; streaks of consecutive failures (gaps and islands over window functions); recurring
 * errors grouped by their masked message (a SQL function registered on the connection); and, for a
 * project failing now, its first failure after the last success and what changed in between.
 */
import type { CountBy, ChangeNearFailure, FailurePatterns, FailureStreak, RecurringError } from '../shared/analytics.ts';
import type { ErrorCategory } from '../shared/model.ts';
import { cellScope, LOCAL_HOUR_OF_WEEK, scopeCells } from './analyticsCells.ts';
import { DETAIL_SCOPE, type ScopeParams } from './analyticsScope.ts';
import type { Store } from './db.ts';
import { configChangesBetween } from './settings.ts';

/** Masks what differs between occurrences of one error: times, ids, addresses, keys and numbers. */
export function maskMessage(message: string | null): string {
  if (!message) return '(no message)';
  return message
    .replace(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?/g, '<time>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>')
    .replace(/\b\d{1,3}(\.\d{1,3}){3}\b/g, '<ip>')
    .replace(/\b[A-Z][A-Z0-9_]+-\d+\b/g, '<key>')
    .replace(/\b(?=[0-9a-f]*\d)[0-9a-f]{8,}\b/gi, '<id>')
    .replace(/\d+(\.\d+)?/g, '<n>');
}

const registered = new WeakSet<object>();
function withMask(store: Store): void {
  if (registered.has(store.sqlite)) return;
  store.sqlite.function('mask_message', { deterministic: true }, (message: unknown) => maskMessage(message as string | null));
  registered.add(store.sqlite);
}

/** Failed runs that reached no project (an instance that could not connect), in the scope. */
const RUN_FAILURES = `SELECT r.sync_id, r.started_at, r.error_category, r.error_message, ri.instance_name
  FROM sync_runs r JOIN sync_run_instances ri ON ri.sync_id = r.sync_id
  WHERE r.started_at >= @from AND r.started_at < @to AND r.status = 'failed' AND @project IS NULL
    AND (@instance IS NULL OR ri.instance_name = @instance)
    AND NOT EXISTS (SELECT 1 FROM sync_project_details x WHERE x.sync_id = r.sync_id)`;

/** The counting part of the failure patterns (the rest is derived from single failures). */
export type FailureCounts = Pick<
  FailurePatterns,
  'projectSyncs' | 'projectFailures' | 'runFailures' | 'byCategory' | 'byInstance' | 'byProject' | 'byHour' | 'byWeekday'
>;

interface DimensionRow {
  dim: 'total' | 'runs' | 'category' | 'instance' | 'project' | 'hour' | 'weekday';
  instance: string | null;
  key: string | number | null;
  failures: number;
  syncs: number | null;
}

/**
 * Every count in one statement: the period's cells (whole months summed, the rest sync by sync)
 * reduced once to instance × project × local hour of the week × outcome, every dimension from that.
 */
export function failureCounts(store: Store, p: ScopeParams): FailureCounts {
  const rows = store
    .statement(
      `WITH f AS MATERIALIZED (
         SELECT instance_name, project_key, status = 'failed' AS failed, error_category, ${LOCAL_HOUR_OF_WEEK} AS wh, SUM(syncs) AS n
         FROM (${scopeCells(['instance_name', 'project_key', 'status', 'error_category', 'slot', 'syncs'])}) GROUP BY 1, 2, 3, 4, 5)
       SELECT 'total' AS dim, NULL AS instance, NULL AS key, COALESCE(SUM(failed * n), 0) AS failures, COALESCE(SUM(n), 0) AS syncs FROM f
       UNION ALL SELECT 'runs', NULL, NULL, COUNT(DISTINCT sync_id), NULL FROM (${RUN_FAILURES})
       UNION ALL SELECT 'category', NULL, COALESCE(category, 'unknown'), SUM(n), NULL FROM (
         SELECT error_category AS category, n FROM f WHERE failed UNION ALL SELECT error_category, 1 FROM (${RUN_FAILURES})) GROUP BY 3
       UNION ALL SELECT 'instance', NULL, instance_name, SUM(failed * n), SUM(n) FROM f GROUP BY instance_name
       UNION ALL SELECT 'project', instance_name, project_key, SUM(failed * n), SUM(n) FROM f GROUP BY instance_name, project_key
       UNION ALL SELECT 'hour', NULL, wh % 24, SUM(failed * n), SUM(n) FROM f GROUP BY wh % 24
       UNION ALL SELECT 'weekday', NULL, wh / 24, SUM(failed * n), SUM(n) FROM f GROUP BY wh / 24`,
    )
    .all(cellScope(store, p)) as DimensionRow[];
  const of = (dim: DimensionRow['dim']) => rows.filter((row) => row.dim === dim);
  const mostFirst = <T extends { failures: number }>(a: T, b: T, tie: number) => b.failures - a.failures || tie;
  const slots = (dim: 'hour' | 'weekday', size: number): Array<CountBy<number>> => {
    const found = new Map(of(dim).map((row) => [row.key as number, row]));
    return Array.from({ length: size }, (_, key) => ({ key, failures: found.get(key)?.failures ?? 0, syncs: found.get(key)?.syncs ?? 0 }));
  };
  const total = of('total')[0]!;
  return {
    projectSyncs: total.syncs ?? 0,
    projectFailures: total.failures,
    runFailures: of('runs')[0]?.failures ?? 0,
    byCategory: of('category')
      .map((row) => ({ category: row.key as ErrorCategory | 'unknown', failures: row.failures }))
      .sort((a, b) => mostFirst(a, b, a.category.localeCompare(b.category))),
    byInstance: of('instance')
      .map((row) => ({ key: row.key as string, failures: row.failures, syncs: row.syncs ?? 0 }))
      .sort((a, b) => mostFirst(a, b, a.key.localeCompare(b.key))),
    byProject: of('project')
      .map((row) => ({ instance: row.instance!, key: row.key as string, failures: row.failures, syncs: row.syncs ?? 0 }))
      .sort((a, b) => mostFirst(a, b, a.instance.localeCompare(b.instance) || a.key.localeCompare(b.key))),
    byHour: slots('hour', 24),
    byWeekday: slots('weekday', 7),
  };
}

/**
 * Per project of the scope with a failure: the current streak (failures since its last success
 * ever) and the longest one in the period. A failure's streak is named by the last success before
 * it (an index lookup per failure, read through the partial index of failed syncs), so only the
 * failures are visited, never every sync of the period.
 */
export function failureStreaks(store: Store, p: ScopeParams): Array<FailureStreak & { instanceId: string }> {
  return store
    .statement(
      `WITH f AS (
         SELECT d.instance_id, d.instance_name, d.project_key,
                (SELECT MAX(x.started_at) FROM sync_project_details x WHERE x.instance_id = d.instance_id
                   AND x.project_key = d.project_key AND x.started_at < d.started_at AND x.status = 'completed') AS after
         FROM sync_project_details d WHERE ${DETAIL_SCOPE} AND d.status = 'failed'),
       streaks AS (SELECT instance_id, instance_name, project_key, after, COUNT(*) AS n FROM f GROUP BY 1, 2, 3, 4),
       projects AS (
         SELECT s.instance_id, s.instance_name, s.project_key, MAX(n) AS longest,
                (SELECT MAX(x.started_at) FROM sync_project_details x WHERE x.instance_id = s.instance_id
                   AND x.project_key = s.project_key AND x.status = 'completed') AS lastSuccessStart
         FROM streaks s GROUP BY 1, 2, 3)
       SELECT instance_id AS instanceId, instance_name AS instance, project_key AS project, longest,
              (SELECT COUNT(*) FROM sync_project_details x WHERE x.instance_id = projects.instance_id AND x.project_key = projects.project_key
                 AND x.status = 'failed' AND x.started_at > COALESCE(projects.lastSuccessStart, '')) AS current,
              (SELECT x.completed_at FROM sync_project_details x WHERE x.instance_id = projects.instance_id
                 AND x.project_key = projects.project_key AND x.status = 'completed' AND x.started_at = projects.lastSuccessStart) AS lastSuccessAt
       FROM projects ORDER BY current DESC, longest DESC, instance, project`,
    )
    .all(p) as Array<FailureStreak & { instanceId: string }>;
}

export function recurringErrors(store: Store, p: ScopeParams): RecurringError[] {
  withMask(store);
  // Grouped by the exact message first, so the mask (a JavaScript function) runs once per distinct message, not per failure.
  return store
    .statement(
      `SELECT mask_message(message) AS pattern, category, SUM(n) AS occurrences, COUNT(DISTINCT scope) AS projects,
              MIN(firstSeen) AS firstSeen, MAX(lastSeen) AS lastSeen, MAX(message) AS example
       FROM (SELECT message, category, scope, COUNT(*) AS n, MIN(started_at) AS firstSeen, MAX(started_at) AS lastSeen
             FROM (SELECT d.error_message AS message, d.error_category AS category, d.started_at,
                          d.instance_name || '/' || d.project_key AS scope
                   FROM sync_project_details d WHERE ${DETAIL_SCOPE} AND d.status = 'failed'
                   UNION ALL SELECT error_message, error_category, started_at, instance_name FROM (${RUN_FAILURES}))
             GROUP BY message, category, scope)
       GROUP BY 1, 2 HAVING SUM(n) >= 2 ORDER BY occurrences DESC, pattern`,
    )
    .all(p) as RecurringError[];
}

export interface FirstFailure {
  runId: string;
  startedAt: string;
  category: ErrorCategory | null;
  lastSuccessStart: string | null;
  lastSuccessRunId: string | null;
}

/** The first failure of a project after its last success (the start of its current streak). */
export function firstFailureSinceSuccess(store: Store, instanceId: string, project: string): FirstFailure | null {
  const row = store
    .statement(
      `SELECT d.sync_id AS runId, d.started_at AS startedAt, d.error_category AS category, last.lastSuccessStart,
              (SELECT y.sync_id FROM sync_project_details y WHERE y.instance_id = @instanceId AND y.project_key = @project
               AND y.started_at = last.lastSuccessStart AND y.status = 'completed' LIMIT 1) AS lastSuccessRunId
       FROM (SELECT MAX(x.started_at) AS lastSuccessStart FROM sync_project_details x
             WHERE x.instance_id = @instanceId AND x.project_key = @project AND x.status = 'completed') last
       JOIN sync_project_details d ON d.instance_id = @instanceId AND d.project_key = @project
       WHERE d.status = 'failed' AND d.started_at > COALESCE(last.lastSuccessStart, '') ORDER BY d.started_at LIMIT 1`,
    )
    .get({ instanceId, project }) as FirstFailure | undefined;
  return row ?? null;
}

/**
 * The versions the instance's serverInfo reported in the runs started in `(since, until]` that differ
 * from the one before, starting from the last success's run (a run that could not read it is skipped).
 */
function versionChangesBetween(store: Store, instanceId: string, lastSuccessRunId: string, since: string, until: string) {
  return store
    .statement(
      `WITH reported AS (
         SELECT '' AS at, instance_name AS instance, jira_version AS version FROM sync_run_instances
         WHERE sync_id = @lastSuccessRunId AND instance_id = @instanceId
         UNION ALL
         SELECT r.started_at, ri.instance_name, ri.jira_version FROM sync_runs r
         JOIN sync_run_instances ri ON ri.sync_id = r.sync_id AND ri.instance_id = @instanceId
         WHERE r.started_at > @since AND r.started_at <= @until)
       SELECT at, instance, version, previous FROM (
         SELECT at, instance, version, LAG(version) OVER (ORDER BY at) AS previous FROM reported WHERE version IS NOT NULL)
       WHERE previous IS NOT NULL AND version <> previous ORDER BY at`,
    )
    .all({ instanceId, lastSuccessRunId, since, until }) as Array<{ at: string; instance: string; version: string; previous: string }>;
}

/**
 * What changed in `(after, until]`: settings saved, projects synced for the first time, and a new
 * Jira version against the one the last success's run (`lastSuccessRunId`) was served by.
 */
export function changesBetween(
  store: Store,
  instanceId: string,
  after: string | null,
  until: string,
  lastSuccessRunId: string | null,
): ChangeNearFailure[] {
  const since = after ?? '';
  const config = configChangesBetween(store, since, until);
  // A project that never succeeded has no "before" to compare with.
  const added = !after
    ? []
    : (store
        .statement(
          // The span's syncs first (by their start), then the instance's: its projects' index would read all their history.
          `WITH span AS MATERIALIZED (SELECT d.instance_id, d.project_key, d.started_at FROM sync_project_details d
                                      WHERE d.started_at > @since AND d.started_at <= @until)
           SELECT s.project_key AS project, MIN(s.started_at) AS at FROM span s
           WHERE s.instance_id = @instanceId AND NOT EXISTS (SELECT 1 FROM sync_project_details x WHERE x.instance_id = s.instance_id
                                                              AND x.project_key = s.project_key AND x.started_at <= @since)
           GROUP BY s.project_key ORDER BY at`,
        )
        .all({ instanceId, since, until }) as Array<{ project: string; at: string }>);
  const versions = after && lastSuccessRunId ? versionChangesBetween(store, instanceId, lastSuccessRunId, after, until) : [];
  return [
    ...config.map((entry) => ({
      kind: 'config' as const,
      at: entry.changedAt,
      description: `${entry.configType} settings changed by ${entry.changedBy}${entry.reason ? ` (${entry.reason})` : ''}: ${entry.changes
        .map((change) => `${change.setting} ${JSON.stringify(change.before)} → ${JSON.stringify(change.after)}`)
        .join(', ')}`,
    })),
    ...added.map((a) => ({ kind: 'project-added' as const, at: a.at, description: `${a.project} was synced for the first time` })),
    ...versions.map((v) => ({
      kind: 'jira-version' as const,
      at: v.at,
      description: `${v.instance} reported Jira ${v.version} (was ${v.previous})`,
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));
}
