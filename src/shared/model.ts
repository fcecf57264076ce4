/**
 * The domain vocabulary shared by every layer: main, preload, renderer, CLI, browser preview.
 * Plain types and constants only (no runtime dependencies), so the sandboxed preload and the
 * renderer can import it freely.
 */

export const RUN_STATUSES = ['running', 'completed', 'partial', 'failed', 'stopped', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const PROJECT_STATUSES = ['running', 'completed', 'failed', 'stopped', 'interrupted'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

export const ERROR_CATEGORIES = [
  'Network',
  'Authentication',
  'Authorization',
  'Validation',
  'Timeout',
  'RateLimit',
  'Server',
  'Database',
  'Cancelled',
  // The mirror does not hold what Jira reports for a project (see ProjectVerification).
  'Integrity',
] as const;
export type ErrorCategory = (typeof ERROR_CATEGORIES)[number];

export const FLAVORS = ['cloud', 'datacenter'] as const;
export type Flavor = (typeof FLAVORS)[number];

/**
 * Who started a run; stored with the run so history can tell a cron job from a click: the app's
 * window, the CLI, the browser preview, the tray's Sync now, or the schedule.
 */
export const INITIATORS = ['app', 'cli', 'preview', 'tray', 'scheduled'] as const;
export type Initiator = (typeof INITIATORS)[number];

/** One sync run, as stored in `sync_runs`. Instants are ISO-8601 UTC strings. */
export interface Run {
  id: string;
  status: RunStatus;
  initiatedBy: Initiator;
  startedAt: string;
  completedAt: string | null;
  durationMs: number | null;
  totalProjects: number;
  successfulProjects: number;
  failedProjects: number;
  totalIssues: number;
  issuesCreated: number;
  issuesUpdated: number;
  issuesUnchanged: number;
  issuesDeleted: number;
  errorMessage: string | null;
  errorCategory: ErrorCategory | null;
}

/** One project within one run, as stored in `sync_project_details`. */
export interface ProjectDetail {
  instance: string;
  projectKey: string;
  status: ProjectStatus;
  startedAt: string;
  completedAt: string | null;
  durationMs: number | null;
  issuesProcessed: number;
  issuesCreated: number;
  issuesUpdated: number;
  issuesUnchanged: number;
  issuesDeleted: number;
  errorMessage: string | null;
  errorCategory: ErrorCategory | null;
  apiCalls: number;
  retries: number;
  rateLimited: number;
  pages: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  latencyMaxMs: number | null;
  /** Phase timings (ms): waiting for Jira, parsing and validating pages, writing to SQLite. */
  waitMs: number | null;
  parseMs: number | null;
  writeMs: number | null;
  /** The completeness check after the project's fetch; null when the project did not get that far. */
  verification: ProjectVerification | null;
}

export const VERIFICATION_RESULTS = ['exact', 'approximate', 'mismatch'] as const;
/** exact: equal to an exact count; approximate: equal to Cloud's approximate count; mismatch: issues missing. */
export type VerificationResult = (typeof VERIFICATION_RESULTS)[number];

export const VERIFICATION_METHODS = ['total', 'approximate-count', 'sweep'] as const;
/** Where Jira's figure came from: Data Center's search `total`, Cloud's approximate count, or a sweep's id list. */
export type VerificationMethod = (typeof VERIFICATION_METHODS)[number];

/**
 * Does the mirror hold what Jira reports for the project? Both sides count the issues updated
 * before `before` (those changed later were changing during the sync and are checked next time).
 */
export interface ProjectVerification {
  result: VerificationResult;
  method: VerificationMethod;
  jiraCount: number;
  mirrorCount: number;
  before: string;
}

export interface MetricSample {
  metric: string;
  projectKey: string | null;
  recordedAt: string;
  value: number;
}

export interface RunDetail extends Run {
  projects: ProjectDetail[];
  metrics: MetricSample[];
  /** The performance settings the run used (snapshot taken when it started). */
  performanceConfig: PerformanceConfig | null;
  /** The engine's memory high-water marks during the run. */
  peakRssBytes: number | null;
  peakHeapBytes: number | null;
  /** What the run could not do but worked around, once each (e.g. an optional endpoint that is missing). */
  notices: string[];
  /** The instances it synced, with the Jira version each reported (null when serverInfo could not be read). */
  instances: Array<{ name: string; jiraVersion: string | null }>;
}

/** Which runs: shared by the history table, its charts and its CSV export. */
export interface RunFilter {
  status?: RunStatus;
  from?: string;
  to?: string;
  /** Runs that were asked to sync this instance (by name). */
  instance?: string;
  initiatedBy?: Initiator;
}

export const RUN_SORT_KEYS = ['startedAt', 'status', 'durationMs', 'totalIssues', 'totalProjects'] as const;
export type RunSortKey = (typeof RUN_SORT_KEYS)[number];
export type SortOrder = 'asc' | 'desc';

export interface HistoryQuery extends RunFilter {
  limit?: number;
  offset?: number;
  sort?: RunSortKey;
  order?: SortOrder;
}

/** One day of the history (in the user's time zone); figures are null on a day without such runs. */
export interface TrendPoint {
  day: string;
  runs: number;
  byStatus: Record<RunStatus, number>;
  /** completed ÷ finished runs of the day. */
  successRate: number | null;
  avgDurationMs: number | null;
  issues: number;
  avgIssuesPerRun: number | null;
  /** Nearest-rank 95th percentile of the day's per-project API latency p95s. */
  apiLatencyP95Ms: number | null;
}

export interface Dashboard {
  /** Over the user's last `days` days, today included. */
  summary: StatsSummary;
  /** The newest run of all, however old. */
  lastRun: Run | null;
  trends: TrendPoint[];
  /** The latest runs that failed, partly failed or were interrupted. */
  failures: Run[];
}

/** One figure a recommendation rests on. */
export interface Evidence {
  label: string;
  value: number;
  unit: 'ms' | 's' | 'min' | 'share' | 'count' | 'workers' | 'connections' | 'issues';
}

/** A settings change suggested by the recorded history, with why and what it would cost. */
export interface Recommendation {
  /** Stable identifier, e.g. `raise-workers`. */
  id: string;
  title: string;
  reason: string;
  /** The performance settings it changes (empty for a schedule recommendation). */
  change: Partial<PerformanceConfig>;
  /** The schedule's new interval, for a schedule recommendation. */
  scheduleChange?: { intervalMinutes: number };
  evidence: Evidence[];
  /** The dry run of the current settings with `change` applied (of one sync: the same for a schedule change). */
  estimate: SyncEstimate;
  /** A schedule change's price per day: scheduled syncs and their API calls, now and after. */
  perDay?: ScheduleCost;
}

export interface ScheduleCost {
  syncsNow: number;
  syncsAfter: number;
  apiCallsNow: number;
  apiCallsAfter: number;
}

export interface Recommendations {
  runsConsidered: number;
  /** The dry run of the current settings, to compare each recommendation with. */
  current: SyncEstimate;
  recommendations: Recommendation[];
}

export interface HistoryPage {
  rows: Run[];
  total: number;
}

export interface StatsSummary {
  days: number;
  totalRuns: number;
  byStatus: Record<RunStatus, number>;
  /** completed ÷ finished runs (running excluded), 0..1; null when no finished run. */
  successRate: number | null;
  avgDurationMs: number | null;
  p50DurationMs: number | null;
  p95DurationMs: number | null;
  totalIssues: number;
  issuesCreated: number;
  issuesUpdated: number;
  lastRun: Run | null;
}

export type CredentialKind = 'stored' | 'env' | 'demo';

/** A configured Jira instance. Never carries a secret: only where the secret comes from. */
export interface Instance {
  id: string;
  name: string;
  url: string;
  flavor: Flavor;
  email: string | null;
  credential: CredentialKind;
  /** For credential 'env': the environment variable read at every sync. */
  tokenEnv: string | null;
  isDemo: boolean;
  createdAt: string;
  /** A disabled instance is left out of "sync all" (naming it still syncs it). */
  enabled: boolean;
  /** The projects to mirror; null mirrors every project the server lists. */
  projectKeys: string[] | null;
}

/** What the mirror holds of one instance (counted in SQL). */
export interface InstanceMirror {
  instance: string;
  /** Live (not deleted) mirrored issues. */
  issues: number;
  projects: Array<{ key: string; name: string | null; issues: number; lastSyncedAt: string | null }>;
  lastSyncedAt: string | null;
}

/** What a connection test found: who the token belongs to on which server, or why it failed. */
export type ConnectionTest =
  | {
      ok: true;
      deploymentType: string;
      version: string | null;
      serverTitle: string | null;
      user: string;
      email: string | null;
      timeZone: string | null;
    }
  | { ok: false; category: ErrorCategory; message: string };

/** A project as the Jira server lists it, and whether this instance mirrors it. */
export interface ServerProject {
  key: string;
  name: string;
  selected: boolean;
}

/** Performance settings; stored in `configurations` under config_type `performance`. */
export interface PerformanceConfig {
  batchSize: number;
  maxWorkers: number;
  projectTimeout: number;
  rateLimitPause: number;
  maxRetries: number;
  backoffFactor: number;
  lookbackDays: number;
  connectionPoolSize: number;
  connectionPoolBlock: boolean;
  requestTimeout: number;
  maxRateLimitWait: number;
  sweepEvery: number;
}

/** Live progress of one project in a running sync (pushed, not stored). */
export interface ProjectProgress {
  instance: string;
  projectKey: string;
  status: ProjectStatus | 'queued';
  pages: number;
  issues: number;
  /** Known from DC `total` or Cloud approximate-count; null when unknown. */
  expectedIssues: number | null;
  /** Requests retried so far, and how many of those were rate-limited (429). */
  retries: number;
  rateLimited: number;
  issuesPerSecond: number;
  etaSeconds: number | null;
}

export interface SyncProgress {
  runId: string;
  projects: ProjectProgress[];
}

export interface SyncRequest {
  instances?: string[];
  projects?: string[];
  /** Also check every project for issues deleted or moved in Jira. */
  sweep?: boolean;
}

export interface ActiveSync {
  runId: string | null;
}

export interface EstimateWarning {
  /** Stable identifier, e.g. `workers-above-pool`, for the UI to key on. */
  code: string;
  message: string;
}

/** A dry run: what a sync with a proposed configuration is expected to cost. */
export interface SyncEstimate {
  /** What the figures rest on: recorded runs, a live probe of the server, or nothing yet. */
  basis: 'history' | 'probe' | 'none';
  /** Completed or partial runs the model learned from. */
  runsConsidered: number;
  projects: number;
  expectedIssues: number;
  apiCalls: number;
  durationMs: number;
  peakConcurrency: number;
  /** Page round-trip time the estimate assumed (median of recorded or probed requests). */
  latencyMs: number;
  warnings: EstimateWarning[];
}

/** The schedule's interval bounds, in minutes. */
export const SCHEDULE_INTERVAL_MIN = 5;
export const SCHEDULE_INTERVAL_MAX = 1440;
export const DEFAULT_SCHEDULE_INTERVAL = 60;

/**
 * Why the schedule does or does not run right now: `scheduled` (a sync is due at `nextDueAt`),
 * `off` (not enabled), `paused` (enabled, paused from the tray or the UI), `no-instance` (nothing to
 * sync yet), `waiting-for-network` (a sync is due but the machine is offline; it starts when the
 * network is back).
 */
export const SCHEDULE_STATES = ['scheduled', 'off', 'paused', 'no-instance', 'waiting-for-network'] as const;
export type ScheduleState = (typeof SCHEDULE_STATES)[number];

/** The sync schedule (`getSchedule`, `setSchedule`, the `scheduleChanged` event). */
export interface Schedule {
  /** The user's choice: sync every `intervalMinutes`. */
  enabled: boolean;
  intervalMinutes: number;
  /** Enabled but held (Pause schedule in the tray); Resume counts the interval from then. */
  paused: boolean;
  state: ScheduleState;
  /** When the next scheduled sync starts (ISO-8601 UTC); null unless `state` is scheduled or waiting-for-network. */
  nextDueAt: string | null;
  /** The last run the schedule started, or null. */
  lastScheduledRunId: string | null;
  /** Why the last scheduled sync could not start (e.g. a token variable is missing); null once one starts. */
  lastError: string | null;
}

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

/** The desktop preferences a user sets (`getPreferences`, `setPreferences`, `preferencesChanged`). */
export interface AppPreferences {
  theme: Theme;
  /** Closing the window keeps the app running in the tray (Quit in the tray menu ends it). */
  closeToTray: boolean;
  /** OS notifications when a sync fails or ends partial, and when syncing recovers. */
  notifyOnFailure: boolean;
}
