/**
 * The operations area of the Backend: retention (applied after every run the host finishes),
 * daily summaries and database growth, the metrics endpoint, webhooks, CSV exports, the PDF report
 * and the configuration history; plus what happens when a run ends (growth sample, webhook events,
 * retention), in the process that ran it.
 */
import { randomUUID } from 'node:crypto';
import type { Initiator, Run } from '../shared/model.ts';
import {
  DEFAULT_METRICS_SETTINGS,
  DEFAULT_RETENTION_POLICY,
  metricsSettingsSchema,
  retentionPolicySchema,
  type ExportFile,
  type MetricsEndpoint,
  type MetricsSettings,
  type RetentionPolicy,
  type Webhook,
} from '../shared/operations.ts';
import { runProjectsCsv, type CsvDocument } from '../ops/exports.ts';
import { createMetricsRegistry, metricsText } from '../ops/metrics.ts';
import { startMetricsServer, type MetricsServer } from '../ops/metricsServer.ts';
import { renderReportPdf } from '../ops/reports/pdfReport.ts';
import { buildReport } from '../ops/reports/reportData.ts';
import { WebhookDispatcher, webhookSecretKey } from '../ops/webhooks.ts';
import type { Store } from '../store/db.ts';
import { listDatabaseGrowth, recordDatabaseGrowth } from '../store/growth.ts';
import { getInstanceByName } from '../store/instances.ts';
import { applyRetention } from '../store/retention.ts';
import { listConfigHistory, readConfig, writeConfig } from '../store/settings.ts';
import { getDailySummaries } from '../store/summaries.ts';
import {
  deleteWebhook,
  getWebhookRecord,
  insertWebhook,
  listDeliveries,
  listWebhookRecords,
  type WebhookRecord,
} from '../store/webhooks.ts';
import type { Handlers } from './backend.ts';
import type { Clock } from './clock.ts';
import type { EventHub } from './events.ts';
import type { Reads } from './reads.ts';
import type { SecretStore } from './secrets.ts';
import { ApiFailure } from './apiErrors.ts';

export interface OperationsContext {
  store: Store;
  secrets: SecretStore;
  events: EventHub;
  initiator: Initiator;
  clock: Clock;
  /** Whether this host serves the metrics endpoint when the settings enable it (the app and the preview do). */
  servesMetrics: boolean;
  /** Where the long reads run (the exports). */
  reads: Reads;
  /** Asked before a webhook secret is stored without a keyring (as for API tokens). */
  confirmSecretStorage?: () => Promise<boolean>;
}

export type OperationsHandlers = Pick<
  Handlers,
  | 'getRetentionPolicy'
  | 'saveRetentionPolicy'
  | 'applyRetention'
  | 'getDailySummaries'
  | 'getDatabaseGrowth'
  | 'getMetricsEndpoint'
  | 'setMetricsEndpoint'
  | 'getMetricsText'
  | 'listWebhooks'
  | 'addWebhook'
  | 'removeWebhook'
  | 'testWebhook'
  | 'listWebhookDeliveries'
  | 'exportCsv'
  | 'createReport'
  | 'getConfigHistory'
>;

export interface Operations {
  handlers: OperationsHandlers;
  /** A run this host ran has ended: record growth, queue webhook events, apply retention if the policy says so. */
  runFinished(run: Run): void;
  /** Resumes pending webhook deliveries and starts the metrics endpoint if enabled. */
  start(): Promise<void>;
  /** Waits for the retention pass and the webhook attempts in flight, and stops the metrics endpoint. */
  close(): Promise<void>;
  webhooks: WebhookDispatcher;
}

export function retentionPolicy(store: Store): RetentionPolicy {
  return readConfig(store, 'retention', retentionPolicySchema, DEFAULT_RETENTION_POLICY);
}

function metricsSettings(store: Store): MetricsSettings {
  return readConfig(store, 'metrics', metricsSettingsSchema, DEFAULT_METRICS_SETTINGS);
}

const csvFile = (doc: CsvDocument): ExportFile => ({
  fileName: doc.fileName,
  mimeType: 'text/csv; charset=utf-8',
  content: doc.text,
  encoding: 'utf8',
  rows: doc.rows,
  bytes: Buffer.byteLength(doc.text, 'utf8'),
});

export function createOperations(ctx: OperationsContext): Operations {
  const { store } = ctx;
  const webhooks = new WebhookDispatcher({
    store,
    secrets: ctx.secrets,
    clock: ctx.clock,
    onDelivery: (delivery) => ctx.events.emit('webhookDeliveryUpdated', delivery),
  });
  let retentionPass: Promise<unknown> = Promise.resolve();
  let server: MetricsServer | null = null;
  let endpointError: string | null = null;

  /** One retention pass at a time; a pass asked for while one runs starts after it. */
  function retain(dryRun: boolean) {
    const pass = retentionPass.then(() => applyRetention(store, retentionPolicy(store), { dryRun, nowMs: ctx.clock.now() }));
    retentionPass = pass.catch(() => undefined);
    return pass;
  }

  async function applyEndpoint(): Promise<void> {
    const settings = metricsSettings(store);
    if (server && (!settings.enabled || server.port !== settings.port)) {
      await server.close();
      server = null;
    }
    endpointError = null;
    if (!ctx.servesMetrics || !settings.enabled || server) return;
    try {
      server = await startMetricsServer(createMetricsRegistry(store), settings.port);
    } catch (error) {
      endpointError = `could not listen on 127.0.0.1:${settings.port}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
    }
  }

  function endpoint(): MetricsEndpoint {
    const settings = metricsSettings(store);
    const state = !ctx.servesMetrics ? 'unavailable' : server ? 'serving' : settings.enabled && endpointError ? 'failed' : 'off';
    return { ...settings, state, url: server?.url ?? null, error: state === 'failed' ? endpointError : null };
  }

  function publicWebhook(record: WebhookRecord): Webhook {
    let secretAvailable: boolean;
    try {
      secretAvailable = ctx.secrets.get(webhookSecretKey(record.id)) !== null;
    } catch {
      secretAvailable = false;
    }
    return { ...record, secretAvailable };
  }

  /** The webhook list as the audit trail records it: url and events per id, never a secret. */
  function auditWebhooks(): void {
    const snapshot = Object.fromEntries(listWebhookRecords(store).map((hook) => [hook.id, { url: hook.url, events: hook.events }]));
    writeConfig(store, 'webhooks', snapshot, { changedBy: ctx.initiator });
  }

  const handlers: OperationsHandlers = {
    getRetentionPolicy: async () => retentionPolicy(store),
    saveRetentionPolicy: async ({ policy }) => {
      writeConfig(store, 'retention', policy, { changedBy: ctx.initiator });
      return retentionPolicy(store);
    },
    applyRetention: ({ dryRun }) => retain(dryRun),
    getDailySummaries: async ({ from, to }) => getDailySummaries(store, retentionPolicy(store).timeZone, from, to),
    getDatabaseGrowth: async ({ from, to }) => listDatabaseGrowth(store, new Date(from).toISOString(), new Date(to).toISOString()),
    getMetricsEndpoint: async () => endpoint(),
    setMetricsEndpoint: async ({ settings }) => {
      writeConfig(store, 'metrics', settings, { changedBy: ctx.initiator });
      await applyEndpoint();
      return endpoint();
    },
    getMetricsText: async () => ({ text: await metricsText(store) }),
    listWebhooks: async () => listWebhookRecords(store).map(publicWebhook),
    addWebhook: async ({ url, events, secret }) => {
      if (ctx.confirmSecretStorage && !(await ctx.confirmSecretStorage())) {
        throw new ApiFailure(
          'UNAVAILABLE',
          'the webhook was not added: its secret would be stored without a keyring to protect it. Install and unlock a keyring, restart Jira Mirror and add it again, or add it from the CLI',
        );
      }
      const record: WebhookRecord = {
        id: randomUUID(),
        url,
        events,
        createdAt: new Date(ctx.clock.now()).toISOString(),
        createdBy: ctx.initiator,
      };
      insertWebhook(store, record);
      try {
        ctx.secrets.set(webhookSecretKey(record.id), secret);
      } catch (error) {
        deleteWebhook(store, record.id);
        throw error;
      }
      auditWebhooks();
      return publicWebhook(record);
    },
    removeWebhook: async ({ id }) => {
      const removed = deleteWebhook(store, id);
      if (!removed) throw new ApiFailure('NOT_FOUND', `no webhook with id ${id}`);
      ctx.secrets.delete(webhookSecretKey(id));
      auditWebhooks();
      return { removed };
    },
    testWebhook: async ({ id }) => {
      if (!getWebhookRecord(store, id)) throw new ApiFailure('NOT_FOUND', `no webhook with id ${id}`);
      return webhooks.test(id);
    },
    listWebhookDeliveries: async (query) => listDeliveries(store, query),
    exportCsv: async (request) => {
      const now = ctx.clock.now();
      if (request.kind === 'history') {
        const { kind: _kind, ...filter } = request;
        return csvFile(await ctx.reads.read('runsCsv', { ...filter, nowMs: now }));
      }
      if (request.kind === 'run-projects') {
        const doc = runProjectsCsv(store, request.runId);
        if (!doc) throw new ApiFailure('NOT_FOUND', `no run with id ${request.runId}`);
        return csvFile(doc);
      }
      const instance = request.instance ? getInstanceByName(store, request.instance) : null;
      if (request.instance && !instance) throw new ApiFailure('NOT_FOUND', `no instance named "${request.instance}"`);
      const { kind: _issues, ...issueSearch } = request;
      const { instance: _name, project: _project, ...beyondScope } = issueSearch;
      if (Object.keys(beyondScope).length > 0) {
        return csvFile(await ctx.reads.read('issueSearchCsv', { ...issueSearch, order: request.order ?? 'desc', nowMs: now }));
      }
      return csvFile(
        await ctx.reads.read('issuesCsv', {
          ...(instance ? { instanceId: instance.id } : {}),
          ...(request.project ? { project: request.project } : {}),
          nowMs: now,
        }),
      );
    },
    createReport: async (period) => {
      const report = buildReport(store, retentionPolicy(store).timeZone, period, ctx.clock.now());
      const pdf = await renderReportPdf(report);
      return {
        fileName: `jira-mirror-report-${period.from.slice(0, 10)}-to-${period.to.slice(0, 10)}.pdf`,
        mimeType: 'application/pdf',
        content: pdf.toString('base64'),
        encoding: 'base64',
        rows: report.days.length,
        bytes: pdf.length,
      };
    },
    getConfigHistory: async (query) => listConfigHistory(store, query),
  };

  return {
    handlers,
    webhooks,
    runFinished(run) {
      if (run.status === 'running') return;
      recordDatabaseGrowth(store, run.id, ctx.clock.now());
      webhooks.runFinished(run);
      if (retentionPolicy(store).applyAfterSync) void retain(false).catch(() => undefined);
    },
    async start() {
      webhooks.kick();
      await applyEndpoint();
    },
    async close() {
      await retentionPass;
      await webhooks.close();
      await server?.close();
      server = null;
    },
  };
}
