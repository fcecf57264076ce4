/**
 * What the analytics answer (issue 9): failure patterns, health scores, the best time to sync, the
 * next sync's predicted duration and anomalies. Every answer carries its evidence: the runs, the
 * numbers and the thresholds behind it, so a user can check it. Zod-free (the renderer bundles it).
 */
import type { ErrorCategory } from './model.ts';

/** Which history an answer reads: the last `days`, optionally one instance or project. */
export interface AnalyticsScope {
  days: number;
  instance?: string | undefined;
  project?: string | undefined;
  /** The user's offset from UTC (minutes east): hours and weekdays are the user's. */
  utcOffsetMinutes: number;
}

export interface CountBy<K extends string | number> {
  key: K;
  failures: number;
  /** Project syncs (or runs, for the categories of run-level failures) in the same group. */
  syncs: number;
}

export interface RecurringError {
  /** The message with ids, numbers, times and addresses masked: what groups its occurrences. */
  pattern: string;
  category: ErrorCategory | null;
  occurrences: number;
  projects: number;
  firstSeen: string;
  lastSeen: string;
  /** One original (sanitized) message, for reference. */
  example: string;
}

export interface FailureStreak {
  instance: string;
  project: string;
  /** Failed syncs of the project since its last successful one (0: it is not failing now). */
  current: number;
  longest: number;
  lastSuccessAt: string | null;
}

/** Something that changed between a project's last success and its first failure after it. */
export interface ChangeNearFailure {
  /** Settings saved, a project synced for the first time, or a new version reported by the instance's serverInfo. */
  kind: 'config' | 'project-added' | 'jira-version';
  at: string;
  description: string;
}

export interface FailureOnset {
  instance: string;
  project: string;
  /** The first failure after the last success, and that run. */
  startedAt: string;
  runId: string;
  category: ErrorCategory | null;
  lastSuccessAt: string | null;
  failuresSince: number;
  changes: ChangeNearFailure[];
}

export interface FailurePatterns {
  scope: AnalyticsScope;
  from: string;
  to: string;
  /** Project syncs in the period, and how many failed; run-level failures (no project reached) besides. */
  projectSyncs: number;
  projectFailures: number;
  runFailures: number;
  byCategory: Array<{ category: ErrorCategory | 'unknown'; failures: number }>;
  byInstance: Array<CountBy<string>>;
  byProject: Array<CountBy<string> & { instance: string }>;
  /** 0–23 and 0 (Sunday)–6, every slot present. */
  byHour: Array<CountBy<number>>;
  byWeekday: Array<CountBy<number>>;
  streaks: FailureStreak[];
  recurring: RecurringError[];
  onsets: FailureOnset[];
}

export const HEALTH_COMPONENTS = ['successRate', 'freshness', 'durationRegression', 'retries', 'rateLimits'] as const;
export type HealthComponentId = (typeof HEALTH_COMPONENTS)[number];
/** `none`: no sync of the scope has ever finished, so there is nothing to score yet (score 0). */
export type HealthBand = 'healthy' | 'warning' | 'degraded' | 'none';

export interface HealthComponent {
  id: HealthComponentId;
  label: string;
  /** 0–100, and its weight in the score (the weights add up to 1). */
  score: number;
  weight: number;
  /** The measured figure and what it is compared with. */
  value: number | null;
  reference: number | null;
  unit: 'share' | 'ms' | 'ratio';
  detail: string;
}

export interface HealthScore {
  instance: string | null;
  project: string | null;
  score: number;
  band: HealthBand;
  reason: string;
  /** Project syncs behind the score. */
  syncs: number;
  components: HealthComponent[];
}

export interface HealthReport {
  scope: AnalyticsScope;
  at: string;
  /** The interval a sync is expected at (the schedule, or the usual gap between runs), behind freshness. */
  expectedIntervalMs: number | null;
  intervalSource: 'schedule' | 'history' | 'none';
  overall: HealthScore;
  instances: HealthScore[];
  projects: HealthScore[];
}

export interface TimeBucket {
  /** 0 (Sunday)–6, or null for hour-of-day buckets. */
  weekday: number | null;
  hour: number;
  syncs: number;
  failureRate: number;
  rateLimitShare: number;
  latencyMs: number | null;
  msPerIssue: number | null;
  /** Relative cost: 1 is the period's average; lower is better. */
  cost: number;
}

export interface BestTime {
  scope: AnalyticsScope;
  granularity: 'hour-of-week' | 'hour-of-day';
  /** Fewer runs than this per bucket on average falls back to hours of the day. */
  minSyncsPerBucket: number;
  syncs: number;
  buckets: TimeBucket[];
  best: (TimeBucket & { confidence: 'high' | 'medium' | 'low' }) | null;
  worst: TimeBucket | null;
  /** How each bucket's cost weighs its figures. */
  weights: { failureRate: number; rateLimitShare: number; latency: number; msPerIssue: number };
}

export interface ProjectPrediction {
  instance: string;
  project: string;
  /** Recent successful syncs the model rests on. */
  syncs: number;
  expectedIssues: number;
  /** duration ≈ fixedMs + msPerIssue × issues, fitted over those syncs. */
  fixedMs: number;
  msPerIssue: number;
  durationMs: number;
  lowMs: number;
  highMs: number;
}

export interface DurationPrediction {
  scope: AnalyticsScope;
  projects: ProjectPrediction[];
  /** The projects scheduled onto the workers (longest first), as the dry run does. */
  workers: number;
  setupMs: number;
  durationMs: number;
  lowMs: number;
  highMs: number;
  /** The same model replayed over the recent project syncs: each predicted from the ones before it. */
  accuracy: { syncs: number; mape: number | null };
}

export const ANOMALY_METRICS = ['durationPerIssue', 'issuesPerSync', 'failureRate', 'latency'] as const;
export type AnomalyMetric = (typeof ANOMALY_METRICS)[number];

export interface Anomaly {
  id: string;
  instance: string;
  project: string;
  kind: 'first' | 'incremental' | 'any';
  metric: AnomalyMetric;
  status: 'open' | 'resolved';
  openedAt: string;
  openedRunId: string;
  resolvedAt: string | null;
  resolvedRunId: string | null;
  value: number;
  lastValue: number;
  baselineMedian: number;
  baselineMad: number;
  baselineRuns: number;
  threshold: number;
  rule: 'mad' | 'percent' | 'rate';
  /** In words: "latency p50 412 ms against a usual 204 ms (threshold 213 ms, 50 runs)". */
  description: string;
}

export interface AnomalyList {
  open: Anomaly[];
  /** Resolved within the period, newest first. */
  recent: Anomaly[];
}

export interface AnomalyChangeEvent {
  change: 'opened' | 'resolved';
  anomaly: Anomaly;
}
