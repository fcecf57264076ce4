/**
 * CSV exports: the history (every run the filter matches, not just a page), one run's project
 * breakdown, and the mirrored issues. Columns are named as the CLI names things (snake_case);
 * instants are ISO-8601 UTC, durations integer milliseconds.
 */
import type { HistoryQuery, ProjectDetail, Run } from '../shared/model.ts';
import type { IssueSearch, MirroredIssue } from '../shared/issues.ts';
import { toCsv, type CsvColumn } from '../shared/csv.ts';
import type { Store } from '../store/db.ts';
import { iterateIssueSearch } from '../store/issueSearch.ts';
import { iterateIssues, type IssueQuery } from '../store/issues.ts';
import { iterateRuns } from '../store/runHistory.ts';
import { getRunDetail } from '../store/runs.ts';

const RUN_COLUMNS: CsvColumn<Run>[] = [
  { header: 'run_id', value: (r) => r.id },
  { header: 'started_at', value: (r) => r.startedAt },
  { header: 'completed_at', value: (r) => r.completedAt },
  { header: 'status', value: (r) => r.status },
  { header: 'initiated_by', value: (r) => r.initiatedBy },
  { header: 'duration_ms', value: (r) => r.durationMs },
  { header: 'total_projects', value: (r) => r.totalProjects },
  { header: 'successful_projects', value: (r) => r.successfulProjects },
  { header: 'failed_projects', value: (r) => r.failedProjects },
  { header: 'total_issues', value: (r) => r.totalIssues },
  { header: 'issues_created', value: (r) => r.issuesCreated },
  { header: 'issues_updated', value: (r) => r.issuesUpdated },
  { header: 'issues_unchanged', value: (r) => r.issuesUnchanged },
  { header: 'issues_deleted', value: (r) => r.issuesDeleted },
  { header: 'error_category', value: (r) => r.errorCategory },
  { header: 'error_message', value: (r) => r.errorMessage },
];

const PROJECT_COLUMNS: CsvColumn<ProjectDetail & { runId: string }>[] = [
  { header: 'run_id', value: (p) => p.runId },
  { header: 'instance', value: (p) => p.instance },
  { header: 'project', value: (p) => p.projectKey },
  { header: 'status', value: (p) => p.status },
  { header: 'started_at', value: (p) => p.startedAt },
  { header: 'completed_at', value: (p) => p.completedAt },
  { header: 'duration_ms', value: (p) => p.durationMs },
  { header: 'issues_processed', value: (p) => p.issuesProcessed },
  { header: 'issues_created', value: (p) => p.issuesCreated },
  { header: 'issues_updated', value: (p) => p.issuesUpdated },
  { header: 'issues_unchanged', value: (p) => p.issuesUnchanged },
  { header: 'issues_deleted', value: (p) => p.issuesDeleted },
  { header: 'api_calls', value: (p) => p.apiCalls },
  { header: 'retries', value: (p) => p.retries },
  { header: 'rate_limited', value: (p) => p.rateLimited },
  { header: 'pages', value: (p) => p.pages },
  { header: 'latency_p50_ms', value: (p) => p.latencyP50Ms },
  { header: 'latency_p95_ms', value: (p) => p.latencyP95Ms },
  { header: 'latency_max_ms', value: (p) => p.latencyMaxMs },
  { header: 'wait_ms', value: (p) => p.waitMs },
  { header: 'parse_ms', value: (p) => p.parseMs },
  { header: 'write_ms', value: (p) => p.writeMs },
  { header: 'verification', value: (p) => p.verification?.result ?? null },
  { header: 'error_category', value: (p) => p.errorCategory },
  { header: 'error_message', value: (p) => p.errorMessage },
];

const ISSUE_COLUMNS: CsvColumn<MirroredIssue | (Omit<MirroredIssue, 'status'> & { status: string | null })>[] = [
  { header: 'instance', value: (i) => i.instance },
  { header: 'key', value: (i) => i.key },
  { header: 'id', value: (i) => i.id },
  { header: 'project', value: (i) => i.projectKey },
  { header: 'summary', value: (i) => i.summary },
  { header: 'status', value: (i) => i.status },
  { header: 'updated', value: (i) => i.updated },
];

export interface CsvDocument {
  fileName: string;
  text: string;
  rows: number;
}

const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 19).replaceAll(':', '').replace('T', '-');

export function runsCsv(store: Store, filter: Omit<HistoryQuery, 'limit' | 'offset'>, nowMs = Date.now()): CsvDocument {
  return { fileName: `jira-mirror-history-${stamp(nowMs)}.csv`, ...toCsv(RUN_COLUMNS, iterateRuns(store, filter)) };
}

/** A run's project breakdown; null when there is no such run. */
export function runProjectsCsv(store: Store, runId: string): CsvDocument | null {
  const detail = getRunDetail(store, runId);
  if (!detail) return null;
  const rows = detail.projects.map((p) => ({ ...p, runId }));
  return { fileName: `jira-mirror-run-${runId.slice(0, 8)}-projects.csv`, ...toCsv(PROJECT_COLUMNS, rows) };
}

export function issuesCsv(store: Store, query: IssueQuery, nowMs = Date.now()): CsvDocument {
  return { fileName: `jira-mirror-issues-${stamp(nowMs)}.csv`, ...toCsv(ISSUE_COLUMNS, iterateIssues(store, query)) };
}

/** The issues a search of the Issues view matches (text and filters), in the view's order. */
export function issueSearchCsv(store: Store, search: Omit<IssueSearch, 'limit' | 'offset'>, nowMs = Date.now()): CsvDocument {
  return { fileName: `jira-mirror-issues-${stamp(nowMs)}.csv`, ...toCsv(ISSUE_COLUMNS, iterateIssueSearch(store, search)) };
}
