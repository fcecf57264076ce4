/**
 * The SQL behind the health scores, per project, per instance and overall, over the scope's
 * project syncs: the success rate weighted toward the last syncs, the last success (for a group,
 * its stalest project's), duration per issue of each project's latest successful syncs against
 * its ones before, and the shares of retried and rate-limited requests. Also the usual gap between
 * runs. The "latest N" of a group are read through its index (newest first, N rows), never by
 * ranking the whole period.
 */
import { cellScope, scopeCells, type CellColumn } from './analyticsCells.ts';
import { DETAIL_SCOPE, measuredIncremental, type ScopeParams } from './analyticsScope.ts';
import type { Store } from './db.ts';

/** The success rate weighs the last this many syncs of a group, the newest most (linearly: N, N-1, … 1). */
export const WEIGHTED_SYNCS = 20;
/** Duration per issue of a project's latest this many successful syncs is compared with its ones before. */
export const RECENT_SYNCS = 5;

export interface HealthAggregate {
  instance: string | null;
  project: string | null;
  syncs: number;
  weightedSuccess: number | null;
  /** The syncs the weighted rate rests on, and how many of them succeeded. */
  weightedSyncs: number;
  weightedSucceeded: number;
  apiCalls: number;
  retries: number;
  rateLimited: number;
  recentMsPerIssue: number | null;
  baselineMsPerIssue: number | null;
  /** The stalest last success among the group's projects; null when one never succeeded in the period. */
  lastSuccessAt: string | null;
  neverSucceeded: number;
}

export type HealthLevel = 'project' | 'instance' | 'overall';

const SCOPE_OF = (t: string) => DETAIL_SCOPE.replaceAll('d.', `${t}.`);

/** How a group's rows are found again: by the project index, by instance name, or all of them. */
const GROUPS: Record<HealthLevel, { cols: string[]; match: string }> = {
  project: {
    cols: ['instance_id', 'instance_name', 'project_key'],
    match: 'x.instance_id = g.instance_id AND x.project_key = g.project_key',
  },
  instance: { cols: ['instance_name'], match: 'x.instance_name = g.instance_name' },
  overall: { cols: [], match: '1' },
};

export type HealthAggregates = Record<HealthLevel, HealthAggregate[]>;

/** The CTEs and final SELECT of one level, over the shared `proj` and `recent`. */
function levelSql(level: HealthLevel): { ctes: string; select: string } {
  const { cols, match } = GROUPS[level];
  const list = cols.map((c) => `${c}, `).join('');
  const groupBy = cols.length ? `GROUP BY ${cols.join(', ')}` : '';
  const g = `g_${level}`;
  return {
    ctes: `${g} AS MATERIALIZED (
         SELECT ${list}SUM(syncs) AS syncs, SUM(apiCalls) AS apiCalls, SUM(retries) AS retries, SUM(rateLimited) AS rateLimited,
                MIN(lastSuccess) AS lastSuccessAt, SUM(lastSuccess IS NULL) AS neverSucceeded,
                SUM(recentMs) * 1.0 / NULLIF(SUM(recentIssues), 0) AS recentMsPerIssue,
                (SUM(okMs) - SUM(COALESCE(recentMs, 0))) * 1.0 / NULLIF(SUM(okIssues) - SUM(COALESCE(recentIssues, 0)), 0) AS baselineMsPerIssue
         FROM proj LEFT JOIN recent USING (instance_id, project_key) ${groupBy}),
       latest_${level} AS (
         SELECT ${cols.map((c) => `g.${c}, `).join('')}x.status,
                ROW_NUMBER() OVER (${cols.length ? `PARTITION BY ${cols.map((c) => `g.${c}`).join(', ')}` : ''} ORDER BY x.started_at DESC, x.id DESC) AS rn
         FROM ${g} g JOIN sync_project_details x ON x.id IN (
           SELECT x.id FROM sync_project_details x WHERE ${match} AND ${SCOPE_OF('x')}
           ORDER BY x.started_at DESC, x.id DESC LIMIT ${WEIGHTED_SYNCS})),
       weighted_${level} AS (
         SELECT ${list}SUM(CASE WHEN status = 'completed' THEN ${WEIGHTED_SYNCS + 1} - rn ELSE 0 END) * 1.0 / SUM(${WEIGHTED_SYNCS + 1} - rn) AS weightedSuccess,
                COUNT(*) AS weightedSyncs, SUM(status = 'completed') AS weightedSucceeded
         FROM latest_${level} ${groupBy})`,
    select: `SELECT '${level}' AS level, ${cols.includes('instance_name') ? 'g.instance_name' : 'NULL'} AS instance,
              ${cols.includes('project_key') ? 'g.project_key' : 'NULL'} AS project,
              g.syncs, weightedSuccess, weightedSyncs, weightedSucceeded, g.apiCalls, g.retries, g.rateLimited,
              recentMsPerIssue, baselineMsPerIssue, lastSuccessAt, neverSucceeded
       FROM ${g} g JOIN weighted_${level} ${cols.length ? `USING (${cols.join(', ')})` : 'ON 1'} WHERE g.syncs > 0`,
  };
}

const LEVELS: HealthLevel[] = ['overall', 'instance', 'project'];
const CELLS: CellColumn[] = [
  'instance_id',
  'instance_name',
  'project_key',
  'syncs',
  'api_calls',
  'retries',
  'rate_limited',
  'last_success_at',
  'incremental_ms',
  'incremental_issues',
];

/** Every level in one statement: the period is read once, into per-project sums every level adds up. */
export function healthAggregates(store: Store, p: ScopeParams): HealthAggregates {
  const levels = LEVELS.map(levelSql);
  const rows = store
    .statement(
      `WITH proj AS MATERIALIZED (
         SELECT instance_id, instance_name, project_key, SUM(syncs) AS syncs, SUM(api_calls) AS apiCalls,
                SUM(retries) AS retries, SUM(rate_limited) AS rateLimited, MAX(last_success_at) AS lastSuccess,
                SUM(incremental_ms) AS okMs, SUM(incremental_issues) AS okIssues
         FROM (${scopeCells(CELLS)}) GROUP BY instance_id, instance_name, project_key),
       recent AS MATERIALIZED (
         SELECT g.instance_id, g.project_key, SUM(x.duration_ms) AS recentMs, SUM(x.issues_processed) AS recentIssues
         FROM proj g JOIN sync_project_details x ON x.id IN (
           SELECT y.id FROM sync_project_details y WHERE y.instance_id = g.instance_id AND y.project_key = g.project_key
             AND ${SCOPE_OF('y')} AND ${measuredIncremental('y')} ORDER BY y.started_at DESC, y.id DESC LIMIT ${RECENT_SYNCS})
         GROUP BY g.instance_id, g.project_key),
       ${levels.map((l) => l.ctes).join(',\n       ')}
       ${levels.map((l) => l.select).join('\n       UNION ALL ')}
       ORDER BY 1, 2, 3`,
    )
    .all(cellScope(store, p)) as Array<HealthAggregate & { level: HealthLevel }>;
  const of = (level: HealthLevel) => rows.filter((row) => row.level === level).map(({ level: _level, ...row }) => row);
  return { overall: of('overall'), instance: of('instance'), project: of('project') };
}

/** The mean gap between the starts of the last runs (any outcome): how often syncs usually come. */
/**
 * Whether a sync of the scope ever ran to an outcome before the scope's end (any time, not only in
 * the period): tells a mirror that was never synced from one whose syncs stopped. Project syncs are
 * kept for `details_days` only, so the unscoped question also asks the runs.
 */
export function everFinished(store: Store, p: ScopeParams): boolean {
  const row = store
    .statement(
      `SELECT EXISTS (SELECT 1 FROM sync_project_details d WHERE d.started_at < @to
                        AND (@instance IS NULL OR d.instance_name = @instance) AND (@project IS NULL OR d.project_key = @project)
                        AND d.status IN ('completed', 'failed'))
          OR (@instance IS NULL AND @project IS NULL
              AND EXISTS (SELECT 1 FROM sync_runs r WHERE r.started_at < @to AND r.status IN ('completed', 'partial', 'failed'))) AS ever`,
    )
    .get({ to: p.to, instance: p.instance, project: p.project }) as { ever: number };
  return row.ever === 1;
}

export function usualIntervalMs(store: Store, runs = 50): number | null {
  const row = store
    .statement(
      `SELECT (julianday(MAX(started_at)) - julianday(MIN(started_at))) * 86400000.0 / NULLIF(COUNT(*) - 1, 0) AS gap
       FROM (SELECT started_at FROM sync_runs WHERE status != 'running' ORDER BY started_at DESC LIMIT ?)`,
    )
    .get(runs) as { gap: number | null };
  return row.gap === null ? null : Math.round(row.gap);
}
