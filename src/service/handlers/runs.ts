/** Runs: the history (filtered, sorted, exported), one run's detail, statistics, trends and the dashboard. */
import type { Run } from '../../shared/model.ts';
import { getRunDetail } from '../../store/runs.ts';
import { getDashboard, getRunTrends, getStatsSummary, getSyncHistory, iterateRuns } from '../../store/runHistory.ts';
import { notFound } from '../apiErrors.ts';
import type { Handlers } from '../backend.ts';
import type { BackendContext } from '../context.ts';
import { csvLine } from '../csv.ts';

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

export function runHandlers(ctx: BackendContext) {
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
    getDashboard: async (query) => getDashboard(store, query),
  } satisfies Partial<Handlers>;
}
