/**
 * The one typed contract between the UI and the back end. Every call (name, input schema, output
 * type) and every push event is declared here once; Electron IPC (main + preload), the browser
 * preview (HTTP + SSE) and the renderer's client are all derived from it, and main validates every
 * input against these schemas at run time.
 */
import { z } from 'zod';
import { FLAVORS, INITIATORS, RUN_SORT_KEYS, RUN_STATUSES, SCHEDULE_INTERVAL_MAX, SCHEDULE_INTERVAL_MIN, THEMES } from './model.ts';
import { ISSUE_SORT_KEYS } from './issues.ts';
import type { IssueDetail, IssueFacets, IssuePage, IssueSearchPage } from './issues.ts';
import type { CallName, ErrorCode, EventName } from './names.ts';
import { performanceConfigSchema } from './performance.ts';
import { httpUrlSchema } from './urlSchema.ts';
import { metricsSettingsSchema, retentionPolicySchema } from './operations.ts';
import type {
  ConfigHistoryPage,
  DailySummary,
  DatabaseGrowthPoint,
  ExportFile,
  MetricsEndpoint,
  RetentionPolicy,
  RetentionReport,
  Webhook,
  WebhookDelivery,
  WebhookDeliveryPage,
} from './operations.ts';
import type { AnomalyChangeEvent, AnomalyList, BestTime, DurationPrediction, FailurePatterns, HealthReport } from './analytics.ts';
import { analyticsScopeSchema, applyRecommendationSchema } from './analyticsContract.ts';
import {
  addWebhookSchema,
  configHistorySchema,
  deliveryQuerySchema,
  exportCsvSchema,
  periodSchema,
  webhookIdSchema,
} from './operationsContract.ts';

export { CALL_NAMES, ERROR_CODES, EVENT_NAMES, type CallName, type ErrorCode, type EventName } from './names.ts';
import type {
  ActiveSync,
  AppPreferences,
  ConnectionTest,
  Dashboard,
  HistoryPage,
  Instance,
  InstanceMirror,
  PerformanceConfig,
  Recommendation,
  Recommendations,
  RunDetail,
  Schedule,
  ServerProject,
  StatsSummary,
  SyncEstimate,
  SyncProgress,
  Run,
  TrendPoint,
} from './model.ts';

const isoInstant = z.iso.datetime({ offset: true, message: 'expected an ISO-8601 date-time, e.g. 2026-01-31T00:00:00Z' });

const instanceFilterName = z.string().trim().min(1).max(64);

/** Which runs: the history table, its charts and its CSV export take the same filter. */
export const runFilterShape = {
  status: z.enum(RUN_STATUSES).optional(),
  from: isoInstant.optional(),
  to: isoInstant.optional(),
  instance: instanceFilterName.optional(),
  initiatedBy: z.enum(INITIATORS).optional(),
};

const runOrderShape = {
  sort: z.enum(RUN_SORT_KEYS).default('startedAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
};

export const historyQuerySchema = z.strictObject({
  limit: z.number().int().min(1).max(500).default(50),
  offset: z.number().int().min(0).default(0),
  ...runFilterShape,
  ...runOrderShape,
});

export const runExportSchema = z.strictObject({ ...runFilterShape, ...runOrderShape });

/** The user's offset from UTC (minutes east), so days are the user's days. */
const utcOffsetMinutes = z
  .number()
  .int()
  .min(-14 * 60)
  .max(14 * 60)
  .default(0);
const MAX_TREND_DAYS = 400;

export const trendQuerySchema = z
  .strictObject({ ...runFilterShape, from: isoInstant, to: isoInstant, utcOffsetMinutes })
  .superRefine((query, ctx) => {
    const span = Date.parse(query.to) - Date.parse(query.from);
    if (span < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: '"to" must not be before "from"' });
    if (span > MAX_TREND_DAYS * 86_400_000) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: `a trend covers at most ${MAX_TREND_DAYS} days` });
    }
  });

export const dashboardQuerySchema = z.strictObject({ days: z.number().int().min(1).max(MAX_TREND_DAYS).default(7), utcOffsetMinutes });

/** Instance names are used on the command line and in the UI: keep them simple. */
export const instanceNameSchema = z
  .string()
  .trim()
  .min(1, 'name must not be empty')
  .max(64, 'name must be at most 64 characters')
  .regex(/^[\w.-]+$/, 'name may contain only letters, digits, "_", "-" and "."');

export const jiraUrlSchema = httpUrlSchema('URL', 'https://your-site.atlassian.net', '; give the token separately').transform((value) =>
  value.replace(/\/+$/, ''),
);

const tokenSchema = z.string().min(1, 'token must not be empty');
const emailSchema = z.email('email must be a valid e-mail address');

export const addInstanceSchema = z.strictObject({
  name: instanceNameSchema,
  url: jiraUrlSchema,
  flavor: z.enum(FLAVORS),
  email: emailSchema.optional(),
  token: tokenSchema,
});

/** A stored instance (by name), optionally with changed fields, or a new one's full connection details. */
export const connectionTestSchema = z
  .strictObject({
    name: instanceNameSchema.optional(),
    url: jiraUrlSchema.optional(),
    flavor: z.enum(FLAVORS).optional(),
    email: emailSchema.optional(),
    token: tokenSchema.optional(),
  })
  .superRefine((input, ctx) => {
    if (input.name) return;
    for (const field of ['url', 'flavor', 'token'] as const) {
      if (input[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `${field} is needed to test a new instance` });
    }
  });

export const updateInstanceSchema = z.strictObject({
  name: instanceNameSchema,
  changes: z.strictObject({
    url: jiraUrlSchema.optional(),
    flavor: z.enum(FLAVORS).optional(),
    email: emailSchema.nullable().optional(),
    token: tokenSchema.optional(),
  }),
});

const projectKeySchema = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'project keys are upper-case, e.g. PROJ');

export const selectProjectsSchema = z.strictObject({
  name: instanceNameSchema,
  /** null mirrors every project the server lists. */
  projects: z.array(projectKeySchema).max(10_000).nullable(),
});

const issueFilterText = z.string().trim().max(200);

export const issueSearchSchema = z.strictObject({
  text: z.string().max(200, 'search text must be at most 200 characters').optional(),
  instance: instanceFilterName.optional(),
  project: issueFilterText.optional(),
  status: issueFilterText.optional(),
  issueType: issueFilterText.optional(),
  assignee: z.string().max(200).optional(),
  updatedFrom: isoInstant.optional(),
  updatedTo: isoInstant.optional(),
  sort: z.enum(ISSUE_SORT_KEYS).optional(),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.number().int().min(1).max(200).default(50),
  offset: z.number().int().min(0).default(0),
});

export const issueFacetsSchema = z.strictObject({ instance: instanceFilterName.optional(), project: issueFilterText.optional() });
export const issueIdSchema = z.strictObject({ instance: instanceFilterName, id: z.string().regex(/^\d+$/, 'issue ids are numeric') });

export const runIdSchema = z.strictObject({ id: z.uuid('run id must be a UUID') });
export const nameSchema = z.strictObject({ name: instanceNameSchema });
export const empty = z.strictObject({});

export const statsQuerySchema = z.strictObject({ days: z.number().int().min(1).max(3650).default(30) });

export const syncRequestSchema = z.strictObject({
  instances: z.array(instanceNameSchema).max(100).optional(),
  projects: z.array(projectKeySchema).max(1000).optional(),
  sweep: z.boolean().optional(),
});

export const issueQuerySchema = z.strictObject({
  instance: instanceNameSchema.optional(),
  project: z.string().optional(),
  limit: z.number().int().min(1).max(5000).default(100),
  offset: z.number().int().min(0).default(0),
});

/** A change to the schedule; fields left out keep their value. */
export const scheduleUpdateSchema = z.strictObject({
  enabled: z.boolean().optional(),
  intervalMinutes: z
    .number()
    .int(`intervalMinutes must be a whole number of minutes (${SCHEDULE_INTERVAL_MIN}–${SCHEDULE_INTERVAL_MAX})`)
    .min(SCHEDULE_INTERVAL_MIN, `intervalMinutes must be at least ${SCHEDULE_INTERVAL_MIN}`)
    .max(SCHEDULE_INTERVAL_MAX, `intervalMinutes must be at most ${SCHEDULE_INTERVAL_MAX} (one day)`)
    .optional(),
  paused: z.boolean().optional(),
});

/** A change to the desktop preferences; fields left out keep their value. */
export const preferencesUpdateSchema = z.strictObject({
  theme: z.enum(THEMES).optional(),
  closeToTray: z.boolean().optional(),
  notifyOnFailure: z.boolean().optional(),
});

/** A call: its input schema, with the output type carried as a phantom. */
export interface CallSpec<I extends z.ZodType, O> {
  input: I;
  /** Type-only marker; never read at run time. */
  output?: O;
}

function call<O>() {
  return <I extends z.ZodType>(input: I): CallSpec<I, O> => ({ input });
}

export const calls = {
  listRuns: call<HistoryPage>()(historyQuerySchema),
  exportRuns: call<{ csv: string; rows: number }>()(runExportSchema),
  getRun: call<RunDetail>()(runIdSchema),
  getStats: call<StatsSummary>()(statsQuerySchema),
  getTrends: call<TrendPoint[]>()(trendQuerySchema),
  getDashboard: call<Dashboard>()(dashboardQuerySchema),
  listInstances: call<Instance[]>()(empty),
  listInstanceMirrors: call<InstanceMirror[]>()(empty),
  addInstance: call<Instance>()(addInstanceSchema),
  addDemoInstance: call<Instance>()(empty),
  updateInstance: call<Instance>()(updateInstanceSchema),
  setInstanceEnabled: call<Instance>()(z.strictObject({ name: instanceNameSchema, enabled: z.boolean() })),
  selectProjects: call<Instance>()(selectProjectsSchema),
  testConnection: call<ConnectionTest>()(connectionTestSchema),
  listServerProjects: call<ServerProject[]>()(nameSchema),
  removeInstance: call<{ removed: boolean }>()(nameSchema),
  startSync: call<{ runId: string }>()(syncRequestSchema),
  stopSync: call<{ stopped: boolean }>()(runIdSchema),
  getActiveSync: call<ActiveSync>()(empty),
  listIssues: call<IssuePage>()(issueQuerySchema),
  searchIssues: call<IssueSearchPage>()(issueSearchSchema),
  getIssueFacets: call<IssueFacets>()(issueFacetsSchema),
  getIssue: call<IssueDetail>()(issueIdSchema),
  getPerformanceConfig: call<PerformanceConfig>()(empty),
  savePerformanceConfig: call<PerformanceConfig>()(
    z.strictObject({
      config: performanceConfigSchema,
      /** Set when the change applies a recommendation: the audit records it as the reason. */
      recommendation: z
        .string()
        .regex(/^[a-z0-9-]{1,64}$/, 'recommendation must be a recommendation id')
        .optional(),
    }),
  ),
  estimateSync: call<SyncEstimate>()(z.strictObject({ config: performanceConfigSchema, probe: z.boolean().default(false) })),
  getSchedule: call<Schedule>()(empty),
  setSchedule: call<Schedule>()(scheduleUpdateSchema),
  getPreferences: call<AppPreferences>()(empty),
  setPreferences: call<AppPreferences>()(preferencesUpdateSchema),
  getRecommendations: call<Recommendations>()(empty),
  // Operations (issue 10): retention, long-term trends, database growth, metrics, webhooks, exports, reports, audit.
  getRetentionPolicy: call<RetentionPolicy>()(empty),
  saveRetentionPolicy: call<RetentionPolicy>()(z.strictObject({ policy: retentionPolicySchema })),
  applyRetention: call<RetentionReport>()(z.strictObject({ dryRun: z.boolean().default(false) })),
  getDailySummaries: call<DailySummary[]>()(periodSchema),
  getDatabaseGrowth: call<DatabaseGrowthPoint[]>()(periodSchema),
  getMetricsEndpoint: call<MetricsEndpoint>()(empty),
  setMetricsEndpoint: call<MetricsEndpoint>()(z.strictObject({ settings: metricsSettingsSchema })),
  getMetricsText: call<{ text: string }>()(empty),
  listWebhooks: call<Webhook[]>()(empty),
  addWebhook: call<Webhook>()(addWebhookSchema),
  removeWebhook: call<{ removed: boolean }>()(webhookIdSchema),
  testWebhook: call<WebhookDelivery>()(webhookIdSchema),
  listWebhookDeliveries: call<WebhookDeliveryPage>()(deliveryQuerySchema),
  exportCsv: call<ExportFile>()(exportCsvSchema),
  createReport: call<ExportFile>()(periodSchema),
  getConfigHistory: call<ConfigHistoryPage>()(configHistorySchema),
  // Analytics (issue 9): health, failure patterns, best time, prediction, anomalies; applying a recommendation.
  getHealth: call<HealthReport>()(analyticsScopeSchema),
  getFailurePatterns: call<FailurePatterns>()(analyticsScopeSchema),
  getBestTime: call<BestTime>()(analyticsScopeSchema),
  predictDuration: call<DurationPrediction>()(analyticsScopeSchema),
  listAnomalies: call<AnomalyList>()(analyticsScopeSchema),
  applyRecommendation: call<{ config: PerformanceConfig; applied: Recommendation; schedule?: Schedule }>()(applyRecommendationSchema),
} as const;

export type Calls = typeof calls;
// The zod-free name lists in names.ts must list exactly the calls declared here.
type SameKeys<A, B> = [Exclude<A, B>, Exclude<B, A>] extends [never, never] ? true : never;
const callNamesMatch: SameKeys<keyof Calls, CallName> = true;
void callNamesMatch;

export type CallInput<K extends CallName> = z.input<Calls[K]['input']>;
export type ParsedInput<K extends CallName> = z.output<Calls[K]['input']>;
export type CallOutput<K extends CallName> = NonNullable<Calls[K]['output']>;

/** Push events from the back end to every open UI. */
export interface Events {
  /** A run was created, changed counters, or finished. */
  runUpdated: Run;
  /** Live per-project progress of the running sync. */
  syncProgress: SyncProgress;
  /** Instances were added, changed or removed. */
  instancesChanged: Record<string, never>;
  /** The schedule changed: settings, next due time, a scheduled run started or could not start. */
  scheduleChanged: Schedule;
  /** The desktop preferences changed (from any window, or the tray menu). */
  preferencesChanged: AppPreferences;
  /** A webhook delivery was attempted (delivered, failed, or waiting for a retry). */
  webhookDeliveryUpdated: WebhookDelivery;
  /** An anomaly opened or resolved (once per state change, after the run that caused it). */
  anomalyChanged: AnomalyChangeEvent;
}
const eventNamesMatch: SameKeys<keyof Events, EventName> = true;
void eventNamesMatch;

/** Errors cross every transport as values, never as thrown strings. */
export interface ApiError {
  code: ErrorCode;
  message: string;
  /** VALIDATION only: each invalid field's message, keyed by its path in the input (`config.maxWorkers`). */
  fields?: Record<string, string>;
}
export type Result<T> = { ok: true; data: T } | { ok: false; error: ApiError };

/** What the renderer sees, whichever host it runs in (Electron preload or browser preview). */
export type JiraMirrorApi = {
  [K in CallName]: (input: CallInput<K>) => Promise<Result<CallOutput<K>>>;
} & {
  /** Subscribe to a push event; returns an unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
};
