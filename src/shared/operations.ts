/**
 * The operations vocabulary (issue 10): the retention policy and the metrics endpoint as setting
 * tables, webhook events, and the shapes of retention reports, daily summaries, database growth,
 * webhooks and the configuration history that cross the contract.
 */
import { settingDefaults, settingsSchema, type SettingValues } from './settings.ts';
import type { ErrorCategory, RunStatus } from './model.ts';

/** `system` (this computer's zone) or an IANA zone name that this runtime knows. */
function checkTimeZone(value: string): string | null {
  if (value === 'system') return null;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return null;
  } catch {
    return `must be "system" or an IANA time zone such as Europe/Berlin, got "${value}"`;
  }
}

export const RETENTION_SETTINGS = {
  detailsDays: {
    kind: 'integer',
    min: 1,
    max: 36_500,
    default: 30,
    unit: 'days',
    explanation: "Per-project details of older runs are summarized per day, then removed (the day's trends stay exact).",
  },
  metricsDays: {
    kind: 'integer',
    min: 1,
    max: 36_500,
    default: 30,
    unit: 'days',
    explanation: 'Performance samples (throughput, latency and memory over a run) of older runs are removed.',
  },
  runsDays: {
    kind: 'integer',
    min: 1,
    max: 36_500,
    default: 365,
    unit: 'days',
    explanation: 'Older runs are removed from the history; their days stay in the daily summaries.',
  },
  applyAfterSync: {
    kind: 'boolean',
    default: true,
    explanation: 'Apply the policy after every sync (otherwise only with "retention apply").',
  },
  timeZone: {
    kind: 'text',
    default: 'system',
    explanation: 'The zone whose calendar days the summaries (and so the long-term trends) use.',
    check: checkTimeZone,
  },
} as const;

export type RetentionPolicy = SettingValues<typeof RETENTION_SETTINGS>;
export const retentionPolicySchema = settingsSchema(RETENTION_SETTINGS).superRefine((policy, ctx) => {
  // A run's details and samples go with the run: keeping them longer than the run cannot be.
  for (const key of ['detailsDays', 'metricsDays'] as const) {
    // Only between values that are valid on their own (an invalid one has its own message).
    if (policy.runsDays >= 1 && policy[key] > policy.runsDays) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `${key === 'detailsDays' ? 'details_days' : 'metrics_days'} must not exceed runs_days (${policy.runsDays})`,
      });
    }
  }
});
export const DEFAULT_RETENTION_POLICY: RetentionPolicy = settingDefaults(RETENTION_SETTINGS);

export const METRICS_SETTINGS = {
  enabled: {
    kind: 'boolean',
    default: false,
    explanation: 'Serve Prometheus metrics on 127.0.0.1 while the app runs (opt-in).',
  },
  port: {
    kind: 'integer',
    min: 1024,
    max: 65_535,
    default: 9464,
    unit: '',
    explanation: 'The loopback port of the metrics endpoint (http://127.0.0.1:PORT/metrics).',
  },
} as const;

export type MetricsSettings = SettingValues<typeof METRICS_SETTINGS>;
export const metricsSettingsSchema = settingsSchema(METRICS_SETTINGS);
export const DEFAULT_METRICS_SETTINGS: MetricsSettings = settingDefaults(METRICS_SETTINGS);

/** The metrics endpoint of this host: what the settings ask for and what actually runs. */
export interface MetricsEndpoint extends MetricsSettings {
  state: 'off' | 'serving' | 'failed' | 'unavailable';
  /** http://127.0.0.1:PORT/metrics while serving. */
  url: string | null;
  /** Why it is not serving although enabled (the port is taken, …). */
  error: string | null;
}

export const WEBHOOK_EVENTS = ['run.finished', 'run.failed', 'anomaly.opened', 'anomaly.resolved'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
/** A delivery's event: a subscribed one, or the Test button's `webhook.test` (sent whatever the subscription). */
export type DeliveryEvent = WebhookEvent | 'webhook.test';

export interface Webhook {
  id: string;
  url: string;
  events: WebhookEvent[];
  createdAt: string;
  createdBy: string;
  /** Whether this process can sign its deliveries (the secret was stored by another host's keychain otherwise). */
  secretAvailable: boolean;
}

export type DeliveryState = 'pending' | 'delivered' | 'failed';

export interface WebhookDelivery {
  id: string;
  webhookId: string;
  event: DeliveryEvent;
  runId: string | null;
  state: DeliveryState;
  attempts: number;
  createdAt: string;
  completedAt: string | null;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
}

export interface WebhookDeliveryPage {
  rows: WebhookDelivery[];
  total: number;
}

/** What a retention pass removes (or, in a dry run, would remove) and what it gives back. */
export interface RetentionReport {
  dryRun: boolean;
  policy: RetentionPolicy;
  /** The zone of the summaries' days. */
  timeZone: string;
  /** Days newly summarized (written, or to be written in a dry run). */
  daysSummarized: number;
  /** Every run started before this instant is in the summaries (null: nothing summarized yet). */
  summarizedUntil: string | null;
  cutoffs: { details: string; metrics: string; runs: string };
  removed: {
    runs: number;
    projectDetails: number;
    metricSamples: number;
    webhookDeliveries: number;
    growthSamples: number;
  };
  /** Rows older than a cutoff kept because their day is not summarized yet (a run still running then). */
  keptUnsummarized: number;
  database: {
    bytesBefore: number;
    bytesAfter: number;
    /** Free pages handed back to the file system by incremental vacuum. */
    pagesReleased: number;
    /** 'incremental': space is given back; 'none': an older file, converted by `jira-mirror retention apply`. */
    autoVacuum: 'incremental' | 'none' | 'full';
  };
}

/** One day of the history, exact whether it comes from the daily summaries or from the rows still held. */
export interface DailySummary {
  day: string;
  startsAt: string;
  endsAt: string;
  source: 'summary' | 'rows';
  runs: number;
  byStatus: Record<RunStatus, number>;
  /** completed ÷ finished runs of the day; null without finished runs. */
  successRate: number | null;
  issuesProcessed: number;
  issuesCreated: number;
  issuesUpdated: number;
  issuesUnchanged: number;
  issuesDeleted: number;
  avgDurationMs: number | null;
  p50DurationMs: number | null;
  p95DurationMs: number | null;
  maxDurationMs: number | null;
  apiCalls: number;
  retries: number;
  rateLimited: number;
  apiLatencyP95Ms: number | null;
  /** Failed and partial runs by their category. */
  failuresByCategory: Partial<Record<ErrorCategory, number>>;
  /** The database at the day's end (last growth sample), when recorded. */
  databaseBytes: number | null;
  mirroredIssues: number | null;
}

/** One project's day (see DailySummary). */
export interface ProjectDay {
  day: string;
  instance: string;
  projectKey: string;
  runs: number;
  completed: number;
  failed: number;
  issuesProcessed: number;
  issuesCreated: number;
  issuesUpdated: number;
  issuesDeleted: number;
  retries: number;
  rateLimited: number;
  p95DurationMs: number | null;
  apiLatencyP95Ms: number | null;
  lastSuccessAt: string | null;
  failuresByCategory: Partial<Record<ErrorCategory, number>>;
}

export interface DatabaseGrowthPoint {
  recordedAt: string;
  /** The run it was recorded after; null for a point from a daily summary (its run since removed). */
  runId: string | null;
  fileBytes: number;
  usedBytes: number | null;
  mirroredIssues: number;
}

/** `schedule` is audited only: the schedule itself lives with the host that runs it (the desktop app's preferences). */
export const CONFIG_TYPES = ['performance', 'retention', 'metrics', 'webhooks', 'schedule'] as const;
export type ConfigType = (typeof CONFIG_TYPES)[number];

/** One saved change of any configuration: who (app, cli, preview), when, why, and each value before → after. */
export interface ConfigHistoryEntry {
  id: number;
  configType: ConfigType;
  changedAt: string;
  changedBy: string;
  /** e.g. `recommendation raise-workers`; null for a plain edit. */
  reason: string | null;
  changes: Array<{ setting: string; before: unknown; after: unknown }>;
}

export interface ConfigHistoryPage {
  rows: ConfigHistoryEntry[];
  total: number;
}

/** A file for the user to save: the UI offers it as a download (the app's save dialog asks before replacing a file). */
export interface ExportFile {
  fileName: string;
  mimeType: string;
  /** UTF-8 text (CSV), or base64 for binary files (PDF). */
  content: string;
  encoding: 'utf8' | 'base64';
  /** Data rows (CSV) or pages (PDF). */
  rows: number;
  bytes: number;
}
