/**
 * What a sync report shows for a period: the dashboard's figures, daily trends, failures and
 * each project's health. Day figures come from the daily summaries (exact after pruning); the
 * period's totals add those day aggregates up; the failed runs listed are those still held.
 */
import type { ErrorCategory, Run } from '../../shared/model.ts';
import type { DailySummary } from '../../shared/operations.ts';
import type { Store } from '../../store/db.ts';
import { getDailySummaries, getProjectDays, summaryTimeZone } from '../../store/summaries.ts';
import { toRun } from '../../store/runs.ts';
import { syncRuns } from '../../store/schema.ts';
import { orm } from '../../store/orm.ts';

const { and, desc, gte, inArray, lte } = orm;

export interface ProjectHealth {
  instance: string;
  projectKey: string;
  runs: number;
  completed: number;
  failed: number;
  successRate: number | null;
  issuesProcessed: number;
  retries: number;
  rateLimited: number;
  lastSuccessAt: string | null;
  /** healthy: every sync completed; warning: some failed; failing: none completed. */
  health: 'healthy' | 'warning' | 'failing';
}

export interface ReportData {
  from: string;
  to: string;
  generatedAt: string;
  timeZone: string;
  days: DailySummary[];
  totals: {
    runs: number;
    byStatus: Record<string, number>;
    successRate: number | null;
    avgDurationMs: number | null;
    slowestDayP95Ms: number | null;
    issuesProcessed: number;
    issuesCreated: number;
    issuesUpdated: number;
    issuesDeleted: number;
    apiCalls: number;
    retries: number;
    rateLimited: number;
  };
  failuresByCategory: Array<{ category: ErrorCategory; runs: number }>;
  recentFailures: Run[];
  projects: ProjectHealth[];
}

const RECENT_FAILURES = 15;

export function buildReport(store: Store, policyZone: string, period: { from: string; to: string }, nowMs = Date.now()): ReportData {
  const days = getDailySummaries(store, policyZone, period.from, period.to);
  const inPeriod = days.filter((d) => d.endsAt > period.from && d.startsAt <= period.to);
  const sum = (pick: (d: DailySummary) => number) => inPeriod.reduce((n, d) => n + pick(d), 0);
  const byStatus: Record<string, number> = {};
  for (const day of inPeriod) for (const [status, n] of Object.entries(day.byStatus)) byStatus[status] = (byStatus[status] ?? 0) + n;
  const finished = sum((d) => d.runs) - (byStatus.running ?? 0);
  // Average = total duration ÷ runs with a duration, weighted by each day's runs.
  const timed = inPeriod.filter((d) => d.avgDurationMs !== null);
  const timedRuns = timed.reduce((n, d) => n + (d.runs - d.byStatus.running), 0);
  const failures = new Map<ErrorCategory, number>();
  for (const day of inPeriod) {
    for (const [category, n] of Object.entries(day.failuresByCategory) as Array<[ErrorCategory, number]>) {
      failures.set(category, (failures.get(category) ?? 0) + n);
    }
  }
  return {
    from: period.from,
    to: period.to,
    generatedAt: new Date(nowMs).toISOString(),
    timeZone: summaryTimeZone(store, policyZone),
    days: inPeriod,
    totals: {
      runs: sum((d) => d.runs),
      byStatus,
      successRate: finished > 0 ? (byStatus.completed ?? 0) / finished : null,
      avgDurationMs:
        timedRuns > 0 ? Math.round(timed.reduce((n, d) => n + d.avgDurationMs! * (d.runs - d.byStatus.running), 0) / timedRuns) : null,
      slowestDayP95Ms: inPeriod.reduce<number | null>(
        (max, d) => (d.p95DurationMs === null ? max : Math.max(max ?? 0, d.p95DurationMs)),
        null,
      ),
      issuesProcessed: sum((d) => d.issuesProcessed),
      issuesCreated: sum((d) => d.issuesCreated),
      issuesUpdated: sum((d) => d.issuesUpdated),
      issuesDeleted: sum((d) => d.issuesDeleted),
      apiCalls: sum((d) => d.apiCalls),
      retries: sum((d) => d.retries),
      rateLimited: sum((d) => d.rateLimited),
    },
    failuresByCategory: [...failures]
      .map(([category, runs]) => ({ category, runs }))
      .sort((a, b) => b.runs - a.runs || a.category.localeCompare(b.category)),
    recentFailures: store.db
      .select()
      .from(syncRuns)
      .where(
        and(
          gte(syncRuns.startedAt, period.from),
          lte(syncRuns.startedAt, period.to),
          inArray(syncRuns.status, ['failed', 'partial', 'interrupted']),
        ),
      )
      .orderBy(desc(syncRuns.startedAt))
      .limit(RECENT_FAILURES)
      .all()
      .map(toRun),
    projects: projectHealth(store, policyZone, period),
  };
}

function projectHealth(store: Store, policyZone: string, period: { from: string; to: string }): ProjectHealth[] {
  const byProject = new Map<string, ProjectHealth>();
  for (const day of getProjectDays(store, policyZone, period.from, period.to)) {
    const key = `${day.instance}/${day.projectKey}`;
    const entry = byProject.get(key) ?? {
      instance: day.instance,
      projectKey: day.projectKey,
      runs: 0,
      completed: 0,
      failed: 0,
      successRate: null,
      issuesProcessed: 0,
      retries: 0,
      rateLimited: 0,
      lastSuccessAt: null,
      health: 'healthy',
    };
    entry.runs += day.runs;
    entry.completed += day.completed;
    entry.failed += day.failed;
    entry.issuesProcessed += day.issuesProcessed;
    entry.retries += day.retries;
    entry.rateLimited += day.rateLimited;
    if (day.lastSuccessAt && (!entry.lastSuccessAt || day.lastSuccessAt > entry.lastSuccessAt)) entry.lastSuccessAt = day.lastSuccessAt;
    byProject.set(key, entry);
  }
  return [...byProject.values()].map((p) => ({
    ...p,
    successRate: p.runs > 0 ? p.completed / p.runs : null,
    health: p.completed === 0 ? 'failing' : p.failed > 0 ? 'warning' : 'healthy',
  }));
}
