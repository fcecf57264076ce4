/**
 * Builds the Backend: the store (migrated, crashed runs marked `interrupted`), the secret store,
 * the sync host and the demo simulator, and the handler of every contract call.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { calls, type CallName, type ParsedInput, type Result } from '../shared/contract.ts';
import type { Initiator, Run } from '../shared/model.ts';
import { toSyncError } from '../engine/errors.ts';
import { SyncHost } from '../engine/host.ts';
import type { PlannedInstance } from '../engine/syncManager.ts';
import { getPerformanceConfig, savePerformanceConfig } from '../store/config.ts';
import { getSyncHistoryBasis } from '../store/history.ts';
import { estimateSync } from '../engine/estimate.ts';
import { probeInstances } from '../engine/probe.ts';
import { openStore, type Store } from '../store/db.ts';
import {
  addInstance,
  getDemoInstance,
  getInstanceByName,
  listInstances,
  publicInstance,
  removeInstance,
  type InstanceRecord,
} from '../store/instances.ts';
import { listIssues } from '../store/issues.ts';
import { findLiveRun, getRun, getRunDetail, getStatsSummary, getSyncHistory, markInterruptedRuns } from '../store/runs.ts';
import type { Backend, BackendOptions, Handlers } from './backend.ts';
import { systemClock } from './clock.ts';
import { DEMO_CREDENTIALS, DEMO_URL, DemoSimulator } from './demo.ts';
import { EventHub } from './events.ts';
import { secretsFileFor } from './paths.ts';
import { appPreferences, memoryPreferenceStore, type PreferenceKey } from './preferences.ts';
import { createOperations } from './opsHandlers.ts';
import { Scheduler } from './scheduler.ts';
import { FileSecretStore, type SecretStore } from './secrets.ts';
import { ApiFailure, notFound, toApiError, validationError } from './apiErrors.ts';

export { ApiFailure, describeZodError, toApiError, validationError } from './apiErrors.ts';

/**
 * Whether the process that owns a `running` run still runs it. A running engine refreshes the run's
 * heartbeat every 5 s: a heartbeat older than 2 minutes means the run is dead even if its pid now
 * belongs to some other process; on this host a vanished pid means dead at once (kill -9, crash).
 */
const HEARTBEAT_STALE_MS = 2 * 60_000;
export function isOwnerAlive(owner: { pid: number; host: string; heartbeatAt: string | null }, nowMs = Date.now()): boolean {
  const fresh = owner.heartbeatAt !== null && nowMs - Date.parse(owner.heartbeatAt) < HEARTBEAT_STALE_MS;
  if (!fresh) return false;
  if (owner.host !== hostname()) return true;
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function openBackend(options: BackendOptions): Backend {
  const store = openStore({ file: options.dbFile, ...(options.migrationsFolder ? { migrationsFolder: options.migrationsFolder } : {}) });
  markInterruptedRuns(store, isOwnerAlive);
  const env = options.env ?? process.env;
  const secrets: SecretStore = options.secrets ?? new FileSecretStore(secretsFileFor(options.dbFile));
  const events = new EventHub();
  const demo = new DemoSimulator();
  const host = new SyncHost({
    store,
    ...(options.engineWorkerUrl ? { workerUrl: options.engineWorkerUrl } : {}),
    ...(options.parseWorkerUrl ? { parseWorkerUrl: options.parseWorkerUrl } : {}),
    ...(options.migrationsFolder ? { migrationsFolder: options.migrationsFolder } : {}),
    onRun: (run) => events.emit('runUpdated', run),
    onProgress: (progress) => events.emit('syncProgress', progress),
  });

  const preferences = options.preferences ?? memoryPreferenceStore();
  const scheduler = options.schedule
    ? new Scheduler({
        clock: options.schedule.clock ?? systemClock,
        preferences,
        hasInstance: () => listInstances(store).length > 0,
        isSyncRunning: () => host.activeRunId !== null || findLiveRun(store, isOwnerAlive) !== null,
        isOnline: options.schedule.isOnline ?? (() => true),
        startSync: async () => (await startRun({}, 'scheduled')).runId,
        onChange: (schedule) => events.emit('scheduleChanged', schedule),
      })
    : null;
  const operations = createOperations({
    store,
    secrets,
    events,
    initiator: options.initiator,
    clock: options.schedule?.clock ?? systemClock,
    servesMetrics: options.servesMetrics ?? false,
    ...(options.confirmTokenStorage ? { confirmSecretStorage: options.confirmTokenStorage } : {}),
  });
  events.subscribe((event, payload) => {
    if (event === 'instancesChanged') scheduler?.instancesChanged();
    // A run this host ran has ended (each run's final update, once): growth, webhooks, retention.
    if (event === 'runUpdated' && (payload as Run).status !== 'running') operations.runFinished(payload as Run);
  });

  function requireScheduler(): Scheduler {
    if (scheduler) return scheduler;
    throw new ApiFailure(
      'UNAVAILABLE',
      'this host runs no sync schedule (the desktop app and the browser preview do; from the CLI, use cron)',
    );
  }

  /** Who started the sync that runs or is being started now (for the CONFLICT message). */
  let currentInitiator: Initiator | null = null;
  let starting = false;

  function alreadyRunning(runId: string | null): ApiFailure {
    const run = runId ? ` (run ${runId})` : '';
    return new ApiFailure(
      'CONFLICT',
      currentInitiator === 'scheduled'
        ? `a scheduled sync is already running${run}; it brings the mirror up to date: wait for it to finish, or stop it first`
        : `a sync is already running${run}`,
    );
  }

  async function startRun(request: ParsedInput<'startSync'>, initiatedBy: Initiator): Promise<{ runId: string }> {
    // Planning awaits (the demo's simulator starts on first use): a second start meanwhile is refused too.
    if (starting) throw alreadyRunning(null);
    starting = true;
    try {
      // A run's final update arrives just before its engine thread exits: a Sync now clicked in those
      // milliseconds waits for the exit instead of being refused.
      const finishing = host.activeRunId;
      if (finishing && getRun(store, finishing)?.status !== 'running') await host.wait(finishing).catch(() => undefined);
      if (host.activeRunId) throw alreadyRunning(host.activeRunId);
      // One sync per database at a time, across processes too (the app and a cron job of the CLI).
      const elsewhere = findLiveRun(store, isOwnerAlive);
      if (elsewhere) {
        throw new ApiFailure(
          'CONFLICT',
          `a sync started by ${elsewhere.initiatedBy} (process ${elsewhere.ownerPid}) is already running on this database (run ${elsewhere.id})`,
        );
      }
      currentInitiator = initiatedBy;
      const selected = selectInstances(request.instances);
      const planned = await Promise.all(selected.map(planInstance));
      const runId = await host.start({
        runId: randomUUID(),
        initiatedBy,
        instances: planned,
        ...(request.projects ? { projects: request.projects } : {}),
        ...(request.sweep ? { sweep: true } : {}),
      });
      return { runId };
    } finally {
      starting = false;
    }
  }

  const handlers: Handlers = {
    listRuns: async (query) => getSyncHistory(store, query),
    getRun: async ({ id }) => getRunDetail(store, id) ?? notFound(`no run with id ${id}`),
    getStats: async ({ days }) => getStatsSummary(store, days),
    listInstances: async () => listInstances(store).map(publicInstance),
    addInstance: async (input) => {
      if (options.confirmTokenStorage && !(await options.confirmTokenStorage())) {
        throw new ApiFailure(
          'UNAVAILABLE',
          'the instance was not added: its token would be stored without a keyring to protect it. Install and unlock a keyring (GNOME Keyring, KWallet), restart Jira Mirror and add it again, or add it from the CLI with --token-env',
        );
      }
      const record = addInstance(store, {
        name: input.name,
        url: input.url,
        flavor: input.flavor,
        email: input.email ?? null,
        credential: 'stored',
      });
      try {
        secrets.set(record.id, input.token);
      } catch (error) {
        removeInstance(store, record.name);
        throw error;
      }
      events.emit('instancesChanged', {});
      return publicInstance(record);
    },
    addDemoInstance: async () => {
      const existing = getDemoInstance(store);
      if (existing) return publicInstance(existing);
      const record = addInstance(store, {
        name: getInstanceByName(store, 'demo') ? `demo-${randomInt(1000, 9999)}` : 'demo',
        url: DEMO_URL,
        flavor: 'cloud',
        email: DEMO_CREDENTIALS.email,
        credential: 'demo',
        demoSeed: 20261128,
        demoAnchor: new Date().toISOString(),
      });
      events.emit('instancesChanged', {});
      return publicInstance(record);
    },
    removeInstance: async ({ name }) => {
      const record = getInstanceByName(store, name) ?? notFound(`no instance named "${name}"`);
      const removed = removeInstance(store, name);
      secrets.delete(record.id);
      events.emit('instancesChanged', {});
      return { removed };
    },
    startSync: (request) => startRun(request, options.initiator),
    stopSync: async ({ id }) => ({ stopped: host.stop(id) }),
    getActiveSync: async () => ({ runId: host.activeRunId }),
    listIssues: async (query) => {
      const instance = query.instance
        ? (getInstanceByName(store, query.instance) ?? notFound(`no instance named "${query.instance}"`))
        : null;
      return listIssues(store, {
        ...(instance ? { instanceId: instance.id } : {}),
        ...(query.project ? { project: query.project } : {}),
        limit: query.limit,
        offset: query.offset,
      });
    },
    getPerformanceConfig: async () => getPerformanceConfig(store),
    savePerformanceConfig: async ({ config, recommendation }) =>
      savePerformanceConfig(store, config, options.initiator, recommendation ? `recommendation ${recommendation}` : null),
    estimateSync: async ({ config, probe }) => {
      const basis = getSyncHistoryBasis(store);
      if (!probe) return estimateSync(config, basis);
      const planned = await Promise.all(selectInstances(undefined).map(planInstance));
      try {
        return estimateSync(config, basis, await probeInstances(store, planned, config));
      } catch (error) {
        const failure = toSyncError(error);
        throw new ApiFailure('UNAVAILABLE', `the live probe failed (${failure.category}): ${failure.message}`);
      }
    },
    getSchedule: async () => requireScheduler().get(),
    setSchedule: async (change) => requireScheduler().update(change),
    getPreferences: async () => appPreferences(preferences),
    setPreferences: async (change) => {
      for (const [key, value] of Object.entries(change)) {
        if (value !== undefined) preferences.set(key as PreferenceKey & keyof typeof change, value as never);
      }
      const next = appPreferences(preferences);
      events.emit('preferencesChanged', next);
      return next;
    },
    ...operations.handlers,
  };
  scheduler?.start();
  const started = operations.start();

  function selectInstances(names: string[] | undefined): InstanceRecord[] {
    if (!names || names.length === 0) {
      const all = listInstances(store);
      if (all.length === 0) throw new ApiFailure('VALIDATION', 'no Jira instance is configured yet: add one (or the demo instance) first');
      return all;
    }
    return names.map((name) => getInstanceByName(store, name) ?? notFound(`no instance named "${name}"`));
  }

  async function planInstance(record: InstanceRecord): Promise<PlannedInstance> {
    const base = { id: record.id, name: record.name, flavor: record.flavor, email: record.email };
    if (record.credential === 'demo') {
      const url = await demo.url(record.demoSeed ?? 1, record.demoAnchor ?? record.createdAt);
      return { ...base, url, token: DEMO_CREDENTIALS.apiToken };
    }
    if (record.credential === 'env') {
      const token = record.tokenEnv ? env[record.tokenEnv] : undefined;
      if (!token) {
        throw new ApiFailure(
          'VALIDATION',
          `instance "${record.name}" reads its token from the environment variable ${record.tokenEnv}, which is not set`,
        );
      }
      return { ...base, url: record.url, token };
    }
    const token = secrets.get(record.id);
    if (!token) throw new ApiFailure('VALIDATION', `no token is stored for instance "${record.name}": remove it and add it again`);
    return { ...base, url: record.url, token };
  }

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
    waitForRun: (runId: string): Promise<Run> => host.wait(runId),
    store,
    async close() {
      scheduler?.stop();
      await host.close();
      await started;
      await operations.close();
      await demo.close();
      store.close();
    },
  };
}

export type { Store };
