/**
 * The one typed contract between the UI and the back end. Every call (name, input schema, output
 * type) and every push event is declared here once; Electron IPC (main + preload), the browser
 * preview (HTTP + SSE) and the renderer's client are all derived from it, and main validates every
 * input against these schemas at run time.
 */
import { z } from 'zod';
import { FLAVORS, RUN_STATUSES, SCHEDULE_INTERVAL_MAX, SCHEDULE_INTERVAL_MIN, THEMES } from './model.ts';
import type { CallName, ErrorCode, EventName } from './names.ts';
import { performanceConfigSchema } from './performance.ts';
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
  HistoryPage,
  Instance,
  IssuePage,
  PerformanceConfig,
  RunDetail,
  Schedule,
  StatsSummary,
  SyncEstimate,
  SyncProgress,
  Run,
} from './model.ts';

const isoInstant = z.iso.datetime({ offset: true, message: 'expected an ISO-8601 date-time, e.g. 2026-01-31T00:00:00Z' });

export const historyQuerySchema = z.strictObject({
  limit: z.number().int().min(1).max(500).default(50),
  offset: z.number().int().min(0).default(0),
  status: z.enum(RUN_STATUSES).optional(),
  from: isoInstant.optional(),
  to: isoInstant.optional(),
});

/** Instance names are used on the command line and in the UI: keep them simple. */
export const instanceNameSchema = z
  .string()
  .trim()
  .min(1, 'name must not be empty')
  .max(64, 'name must be at most 64 characters')
  .regex(/^[\w.-]+$/, 'name may contain only letters, digits, "_", "-" and "."');

export const jiraUrlSchema = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a valid URL (expected e.g. https://your-site.atlassian.net)` });
      return;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      ctx.addIssue({ code: 'custom', message: `URL must start with https:// or http://, got "${url.protocol}"` });
    }
    if (url.username || url.password) {
      ctx.addIssue({ code: 'custom', message: 'URL must not contain credentials; give the token separately' });
    }
  })
  .transform((value) => value.replace(/\/+$/, ''));

export const addInstanceSchema = z.strictObject({
  name: instanceNameSchema,
  url: jiraUrlSchema,
  flavor: z.enum(FLAVORS),
  email: z.email('email must be a valid e-mail address').optional(),
  token: z.string().min(1, 'token must not be empty'),
});

export const runIdSchema = z.strictObject({ id: z.uuid('run id must be a UUID') });
export const nameSchema = z.strictObject({ name: instanceNameSchema });
export const empty = z.strictObject({});

export const statsQuerySchema = z.strictObject({ days: z.number().int().min(1).max(3650).default(30) });

export const syncRequestSchema = z.strictObject({
  instances: z.array(instanceNameSchema).max(100).optional(),
  projects: z
    .array(z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'project keys are upper-case, e.g. PROJ'))
    .max(1000)
    .optional(),
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
  getRun: call<RunDetail>()(runIdSchema),
  getStats: call<StatsSummary>()(statsQuerySchema),
  listInstances: call<Instance[]>()(empty),
  addInstance: call<Instance>()(addInstanceSchema),
  addDemoInstance: call<Instance>()(empty),
  removeInstance: call<{ removed: boolean }>()(nameSchema),
  startSync: call<{ runId: string }>()(syncRequestSchema),
  stopSync: call<{ stopped: boolean }>()(runIdSchema),
  getActiveSync: call<ActiveSync>()(empty),
  listIssues: call<IssuePage>()(issueQuerySchema),
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
  /** Instances were added or removed. */
  instancesChanged: Record<string, never>;
  /** The schedule changed: settings, next due time, a scheduled run started or could not start. */
  scheduleChanged: Schedule;
  /** The desktop preferences changed (from any window, or the tray menu). */
  preferencesChanged: AppPreferences;
  /** A webhook delivery was attempted (delivered, failed, or waiting for a retry). */
  webhookDeliveryUpdated: WebhookDelivery;
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
