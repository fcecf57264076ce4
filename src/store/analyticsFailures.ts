/**
 * The SQL behind the failure patterns: failures by category, instance, project, local hour and
 * weekday; streaks of consecutive failures (gaps and islands over window functions); recurring
 * errors grouped by their masked message (a SQL function registered on the connection); and, for a
 * project failing now, its first failure after the last success and what changed in between.
 */
import type { CountBy, ChangeNearFailure, FailureStreak, RecurringError } from '../shared/analytics.ts';
import type { ErrorCategory } from '../shared/model.ts';
import { DETAIL_SCOPE, LOCAL_HOUR, LOCAL_WEEKDAY, type ScopeParams } from './analyticsScope.ts';
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

export interface FailureCounts {
  projectSyncs: number;
  projectFailures: number;
  runFailures: number;
  byCategory: Array<{ category: ErrorCategory | 'unknown'; failures: number }>;
  byInstance: Array<CountBy<string>>;
  byProject: Array<CountBy<string> & { instance: string }>;
  byHour: Array<CountBy<number>>;
  byWeekday: Array<CountBy<number>>;
}

export function failureCounts(store: Store, p: ScopeParams): FailureCounts {
  const totals = store
    .statement(
      `SELECT COUNT(*) AS projectSyncs, COALESCE(SUM(d.status = 'failed'), 0) AS projectFailures,
              (SELECT COUNT(DISTINCT sync_id) FROM (${RUN_FAILURES})) AS runFailures
       FROM sync_project_details d WHERE ${DETAIL_SCOPE}`,
    )
    .get(p) as { projectSyncs: number; projectFailures: number; runFailures: number };
  const byCategory = store
    .statement(
      `SELECT COALESCE(category, 'unknown') AS category, COUNT(*) AS failures FROM (
         SELECT d.error_category AS category FROM sync_project_details d WHERE ${DETAIL_SCOPE} AND d.status = 'failed'
         UNION ALL SELECT error_category FROM (${RUN_FAILURES}))
       GROUP BY 1 ORDER BY failures DESC, category`,
    )
    .all(p) as FailureCounts['byCategory'];
  const grouped = (key: string) =>
    store
      .statement(
        `SELECT ${key} AS key, COALESCE(SUM(d.status = 'failed'), 0) AS failures, COUNT(*) AS syncs
         FROM sync_project_details d WHERE ${DETAIL_SCOPE} GROUP BY ${key} ORDER BY failures DESC, key`,
      )
      .all(p);
  const slots = (rows: unknown[], size: number): Array<CountBy<number>> => {
    const found = new Map((rows as Array<CountBy<number>>).map((row) => [row.key, row]));
    return Array.from({ length: size }, (_, key) => found.get(key) ?? { key, failures: 0, syncs: 0 });
  };
  const byProject = store
    .statement(
      `SELECT d.instance_name AS instance, d.project_key AS key, COALESCE(SUM(d.status = 'failed'), 0) AS failures, COUNT(*) AS syncs
       FROM sync_project_details d WHERE ${DETAIL_SCOPE} GROUP BY d.instance_name, d.project_key
       ORDER BY failures DESC, instance, key`,
    )
    .all(p) as FailureCounts['byProject'];
  return {
    ...totals,
    byCategory,
    byInstance: grouped('d.instance_name') as Array<CountBy<string>>,
    byProject,
    byHour: slots(grouped(LOCAL_HOUR).sort(byKey), 24),
    byWeekday: slots(grouped(LOCAL_WEEKDAY).sort(byKey), 7),
  };
}
const byKey = (a: unknown, b: unknown) => (a as CountBy<number>).key - (b as CountBy<number>).key;

/** Per project of the scope with a failure: the current streak (since its last success ever) and the longest one in the period. */
export function failureStreaks(store: Store, p: ScopeParams): FailureStreak[] {
  return store
    .statement(
      `WITH s AS (
         SELECT d.instance_id, d.instance_name, d.project_key, d.status,
                ROW_NUMBER() OVER (PARTITION BY d.instance_id, d.project_key ORDER BY d.started_at)
                - ROW_NUMBER() OVER (PARTITION BY d.instance_id, d.project_key, d.status ORDER BY d.started_at) AS island
         FROM sync_project_details d WHERE ${DETAIL_SCOPE}),
       islands AS (
         SELECT instance_id, instance_name, project_key, COUNT(*) AS n FROM s WHERE status = 'failed'
         GROUP BY instance_id, instance_name, project_key, island),
       longest AS (SELECT instance_id, instance_name, project_key, MAX(n) AS longest FROM islands GROUP BY 1, 2, 3),
       last AS (
         SELECT l.*, (SELECT MAX(x.started_at) FROM sync_project_details x WHERE x.instance_id = l.instance_id
                        AND x.project_key = l.project_key AND x.status = 'completed') AS lastSuccessStart
         FROM longest l)
       SELECT instance_name AS instance, project_key AS project, longest,
              (SELECT COUNT(*) FROM sync_project_details x WHERE x.instance_id = last.instance_id AND x.project_key = last.project_key
                 AND x.status = 'failed' AND x.started_at > COALESCE(last.lastSuccessStart, '')) AS current,
              (SELECT MAX(x.completed_at) FROM sync_project_details x WHERE x.instance_id = last.instance_id
                 AND x.project_key = last.project_key AND x.status = 'completed') AS lastSuccessAt
       FROM last ORDER BY current DESC, longest DESC, instance, project`,
    )
    .all(p) as FailureStreak[];
}

export function recurringErrors(store: Store, p: ScopeParams): RecurringError[] {
  withMask(store);
  return store
    .statement(
      `SELECT mask_message(message) AS pattern, category, COUNT(*) AS occurrences, COUNT(DISTINCT scope) AS projects,
              MIN(started_at) AS firstSeen, MAX(started_at) AS lastSeen, MAX(message) AS example
       FROM (SELECT d.error_message AS message, d.error_category AS category, d.started_at,
                    d.instance_name || '/' || d.project_key AS scope
             FROM sync_project_details d WHERE ${DETAIL_SCOPE} AND d.status = 'failed'
             UNION ALL SELECT error_message, error_category, started_at, instance_name FROM (${RUN_FAILURES}))
       GROUP BY 1, 2 HAVING COUNT(*) >= 2 ORDER BY occurrences DESC, pattern`,
    )
    .all(p) as RecurringError[];
}

export interface FirstFailure {
  runId: string;
  startedAt: string;
  category: ErrorCategory | null;
  lastSuccessStart: string | null;
  instanceId: string;
}

/** The first failure of a project after its last success (the start of its current streak). */
export function firstFailureSinceSuccess(store: Store, instance: string, project: string): FirstFailure | null {
  const row = store
    .statement(
      `WITH last AS (SELECT d.instance_id, MAX(CASE WHEN d.status = 'completed' THEN d.started_at END) AS lastSuccessStart
                     FROM sync_project_details d WHERE d.instance_name = ? AND d.project_key = ? GROUP BY d.instance_id
                     ORDER BY MAX(d.started_at) DESC LIMIT 1)
       SELECT d.sync_id AS runId, d.started_at AS startedAt, d.error_category AS category, last.lastSuccessStart,
              last.instance_id AS instanceId
       FROM last JOIN sync_project_details d ON d.instance_id = last.instance_id AND d.project_key = ?
       WHERE d.status = 'failed' AND d.started_at > COALESCE(last.lastSuccessStart, '') ORDER BY d.started_at LIMIT 1`,
    )
    .get(instance, project, project) as FirstFailure | undefined;
  return row ?? null;
}

/** Settings saved, and projects synced for the first time, in `(after, until]`. */
export function changesBetween(store: Store, instanceId: string, after: string | null, until: string): ChangeNearFailure[] {
  const since = after ?? '';
  const config = configChangesBetween(store, since, until);
  // A project that never succeeded has no "before" to compare with.
  const added = !after
    ? []
    : (store
        .statement(
          `SELECT d.project_key AS project, MIN(d.started_at) AS at FROM sync_project_details d
       WHERE d.instance_id = ? AND d.started_at > ? AND d.started_at <= ?
         AND NOT EXISTS (SELECT 1 FROM sync_project_details x WHERE x.instance_id = d.instance_id
                           AND x.project_key = d.project_key AND x.started_at <= ?)
       GROUP BY d.project_key ORDER BY at`,
        )
        .all(instanceId, since, until, since) as Array<{ project: string; at: string }>);
  return [
    ...config.map((entry) => ({
      kind: 'config' as const,
      at: entry.changedAt,
      description: `${entry.configType} settings changed by ${entry.changedBy}${entry.reason ? ` (${entry.reason})` : ''}: ${entry.changes
        .map((change) => `${change.setting} ${JSON.stringify(change.before)} → ${JSON.stringify(change.after)}`)
        .join(', ')}`,
    })),
    ...added.map((a) => ({ kind: 'project-added' as const, at: a.at, description: `${a.project} was synced for the first time` })),
  ].sort((a, b) => a.at.localeCompare(b.at));
}
