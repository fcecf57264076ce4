/** Runs: the history (filtered, sorted, exported), one run's detail, statistics, trends and the dashboard. */
import type { Run } from '../../shared/model.ts';
import { getRunDetail } from '../../store/runs.ts';
import {
  getRecentFailures,
  getRunTrends,
  getStatsSince,
  getStatsSummary,
  getSyncHistory,
  iterateRuns,
  latestRun,
} from '../../store/runHistory.ts';
import { notFound } from '../apiErrors.ts';
import type { Handlers } from '../backend.ts';
import type { BackendContext } from '../context.ts';
import { csvLine } from '../csv.ts';

const DAY_MS = 86_400_000;
const DASHBOARD_FAILURES = 5;

const CSV_COLUMNS: Array<[string, (run: Run) => string | number | null]> = [
  ['run_id', (r) => r.id],
  ['started_at', (r) => r.startedAt],
  ['completed_at', (r) => r.completedAt],
  ['status', (r) => r.status],
  ['initiated_by', (r) => r.initiatedBy],
  ['duration_ms', (r) => r.durationMs],
  ['total_projects', (r) => r.totalProjects],
  ['successful_projects', (r) => r.successfulProjects],
  ['failed_projects', (r) => r.failedProjects],
  ['total_issues', (r) => r.totalIssues],
  ['issues_created', (r) => r.issuesCreated],
  ['issues_updated', (r) => r.issuesUpdated],
  ['issues_unchanged', (r) => r.issuesUnchanged],
  ['issues_deleted', (r) => r.issuesDeleted],
  ['error_category', (r) => r.errorCategory],
  ['error_message', (r) => r.errorMessage],
];

/** The first instant of the user's day `days - 1` days before today (so "7 days" is today and the 6 before). */
export function localDaysStart(nowMs: number, days: number, utcOffsetMinutes: number): string {
  const offsetMs = utcOffsetMinutes * 60_000;
  const localMidnight = Math.floor((nowMs + offsetMs) / DAY_MS) * DAY_MS;
  return new Date(localMidnight - (days - 1) * DAY_MS - offsetMs).toISOString();
}

export function runHandlers(ctx: BackendContext, now: () => number = Date.now) {
  const { store } = ctx;
  return {
    listRuns: async (query) => getSyncHistory(store, query),
    exportRuns: async (query) => {
      let csv = csvLine(CSV_COLUMNS.map(([name]) => name));
      let rows = 0;
      for (const run of iterateRuns(store, query)) {
        csv += csvLine(CSV_COLUMNS.map(([, value]) => value(run)));
        rows += 1;
      }
      return { csv, rows };
    },
    getRun: async ({ id }) => getRunDetail(store, id) ?? notFound(`no run with id ${id}`),
    getStats: async ({ days }) => getStatsSummary(store, days),
    getTrends: async (query) => getRunTrends(store, query),
    getDashboard: async ({ days, utcOffsetMinutes }) => {
      const nowMs = now();
      const since = localDaysStart(nowMs, days, utcOffsetMinutes);
      return {
        summary: getStatsSince(store, since, days),
        lastRun: latestRun(store),
        trends: getRunTrends(store, { from: since, to: new Date(nowMs).toISOString(), utcOffsetMinutes }),
        failures: getRecentFailures(store, DASHBOARD_FAILURES),
      };
    },
  } satisfies Partial<Handlers>;
}
