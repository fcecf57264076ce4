/** What the run detail tabs compute from one run's detail: pure, unit-tested. */
import type { ErrorCategory, MetricSample, ProjectDetail, RunDetail } from '../../../shared/model.ts';

/** What to do next, for each failure category. */
export const ERROR_ADVICE: Record<ErrorCategory, string> = {
  Network: 'Jira could not be reached. Check the URL, your network or VPN and any proxy, then sync again.',
  Authentication: 'Jira rejected the credentials. Create a new API token (or personal access token) and enter it under Instances → Edit.',
  Authorization: 'The account may not see this project. Ask a Jira admin for Browse permission, or leave the project out under Instances.',
  Validation:
    'Jira refused the request or sent something malformed. A project that was deleted or renamed shows up like this; check the message.',
  Timeout: 'Jira answered too slowly. Raise request_timeout or project_timeout under Settings, or sync fewer projects at once.',
  RateLimit: 'Jira limited the request rate. Lower max_workers or raise rate_limit_pause under Settings; an hourly quota resets by itself.',
  Server: 'Jira had an internal error (5xx). It is usually temporary: sync again later; if it persists, tell your Jira admin.',
  Database: 'The local database failed. Check free disk space and that no other program locks the file.',
  Cancelled: 'The sync was stopped. Committed pages were kept; the next sync carries on from there.',
  Integrity: 'The mirror does not hold what Jira reports. The next sync re-reads the project in full to repair it.',
};

export interface ErrorGroup {
  category: ErrorCategory | 'Unknown';
  advice: string;
  /** Each failure of the category: where (a project, or the run as a whole) and its message. */
  failures: Array<{ scope: string; message: string }>;
}

/** The run's failures grouped by category (the run's own error too when no project carries it), most frequent first. */
export function groupErrors(run: Pick<RunDetail, 'errorCategory' | 'errorMessage' | 'status' | 'projects'>): ErrorGroup[] {
  const groups = new Map<string, ErrorGroup>();
  const add = (category: ErrorCategory | null, scope: string, message: string) => {
    const key = category ?? 'Unknown';
    let group = groups.get(key);
    if (!group) {
      group = {
        category: key as ErrorGroup['category'],
        advice: category ? ERROR_ADVICE[category] : 'See the message for what went wrong.',
        failures: [],
      };
      groups.set(key, group);
    }
    group.failures.push({ scope, message });
  };
  for (const project of run.projects) {
    if (project.errorMessage) add(project.errorCategory, `${project.instance}/${project.projectKey}`, project.errorMessage);
  }
  const projectMessages = new Set(run.projects.map((p) => p.errorMessage));
  if (run.errorMessage && run.status !== 'completed' && ![...projectMessages].some((m) => m && run.errorMessage!.includes(m))) {
    add(run.errorCategory, 'Whole run', run.errorMessage);
  }
  return [...groups.values()].sort((a, b) => b.failures.length - a.failures.length || a.category.localeCompare(b.category));
}

export interface MetricSeries {
  /** Milliseconds since the run started, one per sample instant. */
  elapsedMs: number[];
  values: Record<string, Array<number | null>>;
}

/** The run-wide samples (projectKey null) as aligned series, one point per sample instant. */
export function metricSeries(metrics: MetricSample[], startedAt: string): MetricSeries {
  const start = Date.parse(startedAt);
  const instants = [...new Set(metrics.filter((m) => m.projectKey === null).map((m) => m.recordedAt))].sort();
  const index = new Map(instants.map((at, i) => [at, i]));
  const values: Record<string, Array<number | null>> = {};
  for (const sample of metrics) {
    if (sample.projectKey !== null) continue;
    const series = (values[sample.metric] ??= new Array<number | null>(instants.length).fill(null));
    series[index.get(sample.recordedAt)!] = sample.value;
  }
  return { elapsedMs: instants.map((at) => Math.max(0, Date.parse(at) - start)), values };
}

export const PROJECT_SORT_KEYS = [
  'project',
  'status',
  'durationMs',
  'issuesProcessed',
  'issuesCreated',
  'issuesUpdated',
  'issuesUnchanged',
  'issuesDeleted',
  'apiCalls',
  'retries',
  'rateLimited',
  'latencyP50Ms',
  'latencyP95Ms',
] as const;
export type ProjectSortKey = (typeof PROJECT_SORT_KEYS)[number];

/** The run's projects (a handful per run, already loaded) in the chosen order; missing values last. */
export function sortProjects(projects: ProjectDetail[], sort: ProjectSortKey, order: 'asc' | 'desc'): ProjectDetail[] {
  const value = (p: ProjectDetail): string | number | null => (sort === 'project' ? `${p.instance}/${p.projectKey}` : p[sort]);
  const sign = order === 'asc' ? 1 : -1;
  return [...projects].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    return (x < y ? -1 : x > y ? 1 : 0) * sign;
  });
}
