/**
 * Builds the Backend: the store (migrated, crashed runs marked `interrupted`), the secret store,
 * the sync host and the demo simulator, and composes the handlers of every area (runs, sync,
 * instances, config, issues) into one dispatcher for all three hosts.
 */
import { calls, type CallName, type Result } from '../shared/contract.ts';
import type { Run } from '../shared/model.ts';
import { SyncHost } from '../engine/host.ts';
import { openStore, type Store } from '../store/db.ts';
import { listInstances } from '../store/instances.ts';
import { findLiveRun, markInterruptedRuns } from '../store/runs.ts';
import { toApiError, validationError } from './apiErrors.ts';
import type { Backend, BackendOptions, Handlers } from './backend.ts';
import type { BackendContext } from './context.ts';
import { DemoSimulator } from './demo.ts';
import { EventHub } from './events.ts';
import { createAnalytics } from './handlers/analytics.ts';
import { configHandlers } from './handlers/config.ts';
import { instanceHandlers } from './handlers/instances.ts';
import { issueHandlers } from './handlers/issues.ts';
import { runHandlers } from './handlers/runs.ts';
import { changeSchedule, scheduleHandlers } from './handlers/schedule.ts';
import { runStarter, syncHandlers } from './handlers/sync.ts';
import { isOwnerAlive } from './ownership.ts';
import { secretsFileFor } from './paths.ts';
import { createOperations } from './opsHandlers.ts';
import { memoryPreferenceStore } from './preferences.ts';
import { Scheduler } from './scheduler.ts';
import { FileSecretStore } from './secrets.ts';
import { ReadThread } from './readThread.ts';
import { readsOnThisThread } from './reads.ts';
import { systemClock } from './clock.ts';

export { ApiFailure, describeZodError, toApiError, validationError } from './apiErrors.ts';
export { isOwnerAlive } from './ownership.ts';

export function openBackend(options: BackendOptions): Backend {
  const store = openStore({ file: options.dbFile, ...(options.migrationsFolder ? { migrationsFolder: options.migrationsFolder } : {}) });
  markInterruptedRuns(store, isOwnerAlive);
  const events = new EventHub();
  const ctx: BackendContext = {
    store,
    secrets: options.secrets ?? new FileSecretStore(secretsFileFor(options.dbFile)),
    events,
    demo: new DemoSimulator(),
    reads: options.readWorkerUrl ? new ReadThread(options.readWorkerUrl, options.dbFile) : readsOnThisThread(store),
    initiator: options.initiator,
    env: options.env ?? process.env,
    ...(options.confirmTokenStorage ? { confirmTokenStorage: options.confirmTokenStorage } : {}),
    host: new SyncHost({
      store,
      ...(options.engineWorkerUrl ? { workerUrl: options.engineWorkerUrl } : {}),
      ...(options.pageWorkerUrl ? { pageWorkerUrl: options.pageWorkerUrl } : {}),
      ...(options.migrationsFolder ? { migrationsFolder: options.migrationsFolder } : {}),
      onRun: (run) => events.emit('runUpdated', run),
      onProgress: (progress) => events.emit('syncProgress', progress),
      onFinished: (run) => runFinished(run),
    }),
  };

  const startRun = runStarter(ctx);
  const preferences = options.preferences ?? memoryPreferenceStore();
  const scheduler = options.schedule
    ? new Scheduler({
        clock: options.schedule.clock ?? systemClock,
        preferences,
        hasInstance: () => listInstances(store).length > 0,
        isSyncRunning: () => ctx.host.activeRunId !== null || findLiveRun(store, isOwnerAlive) !== null,
        isOnline: options.schedule.isOnline ?? (() => true),
        startSync: async () => (await startRun({}, 'scheduled')).runId,
        onChange: (schedule) => events.emit('scheduleChanged', schedule),
      })
    : null;
  const operations = createOperations({
    store,
    secrets: ctx.secrets,
    events,
    initiator: options.initiator,
    clock: options.schedule?.clock ?? systemClock,
    servesMetrics: options.servesMetrics ?? false,
    reads: ctx.reads,
    ...(options.confirmTokenStorage ? { confirmSecretStorage: options.confirmTokenStorage } : {}),
  });
  const analytics = createAnalytics({
    store,
    events,
    clock: options.schedule?.clock ?? systemClock,
    initiator: options.initiator,
    scheduleIntervalMs: () => {
      const schedule = scheduler?.get();
      return schedule && schedule.state === 'scheduled' ? schedule.intervalMinutes * 60_000 : null;
    },
    changeSchedule: scheduler
      ? (intervalMinutes, reason) => changeSchedule(store, scheduler, { intervalMinutes }, { changedBy: options.initiator, reason })
      : null,
    notifyWebhooks: (event, anomaly) => operations.webhooks.anomaly(event, anomaly),
  });
  events.subscribe((event) => {
    if (event === 'instancesChanged') scheduler?.instancesChanged();
  });
  /** A run this host ran has ended and its thread is gone: anomalies, growth, webhooks, retention. */
  function runFinished(run: Run): void {
    try {
      analytics.runFinished(run);
    } catch (error) {
      // The run is recorded whatever its analysis does; a failed detection only misses this run.
      console.warn(`[analytics] anomaly detection after run ${run.id} failed: ${String(error)}`);
    }
    operations.runFinished(run);
  }

  const handlers: Handlers = {
    ...runHandlers(ctx),
    ...syncHandlers(ctx, startRun),
    ...instanceHandlers(ctx),
    ...configHandlers(ctx),
    ...issueHandlers(ctx),
    ...scheduleHandlers(ctx, scheduler, preferences),
    ...operations.handlers,
    ...analytics.handlers,
  };
  scheduler?.start();
  const started = operations.start();

  async function dispatch(name: string, rawInput: unknown): Promise<Result<unknown>> {
    if (!Object.hasOwn(calls, name)) return { ok: false, error: { code: 'NOT_FOUND', message: `unknown call "${name}"` } };
    const callName = name as CallName;
    const parsed = calls[callName].input.safeParse(rawInput ?? {});
    if (!parsed.success) return { ok: false, error: validationError(parsed.error) };
    try {
      const handler = handlers[callName] as (input: unknown) => Promise<unknown>;
      return { ok: true, data: await handler(parsed.data) };
    } catch (error) {
      return { ok: false, error: toApiError(error) };
    }
  }

  return {
    dispatch,
    call: (name, input) => (handlers[name] as unknown as (i: typeof input) => Promise<never>)(input),
    subscribe: (listener) => events.subscribe(listener),
    startSync: startRun,
    preferences,
    power: { suspend: () => scheduler?.suspend(), resume: () => scheduler?.resume() },
    waitForRun: (runId: string): Promise<Run> => ctx.host.wait(runId),
    store,
    async close() {
      scheduler?.stop();
      await ctx.host.close();
      await started;
      await operations.close();
      await ctx.demo.close();
      await ctx.reads.close();
      store.close();
    },
  };
}

export type { Store };
