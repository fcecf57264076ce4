/**
 * The schedule, the preferences and the keyring question through the real Backend: a real
 * simulator over loopback, a real SQLite file, a fake clock for the schedule only.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Backend } from '../../src/service/backend.ts';
import { openBackend } from '../../src/service/openBackend.ts';
import { secretsFileFor } from '../../src/service/paths.ts';
import { memoryPreferenceStore, type PreferenceStore } from '../../src/service/preferences.ts';
import type { AppPreferences, Run, Schedule } from '../../src/shared/model.ts';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import type { ConfigHistoryPage } from '../../src/shared/operations.ts';
import type { Recommendations } from '../../src/shared/model.ts';
import { addInstance } from '../../src/store/instances.ts';
import { FakeClock } from '../helpers/fakeClock.ts';
import { seedIdleSchedule } from '../helpers/scheduledRuns.ts';
import { CLOUD_TOKEN } from '../helpers/mirror.ts';
import { tempDir } from '../helpers/tempDb.ts';

let cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function simulator(): Promise<RunningSimulator> {
  const sim = await startSimulator({
    projects: [
      { key: 'PROJ', name: 'Project', issues: 60 },
      { key: 'WEB', name: 'Web', issues: 40 },
    ],
    latencyMs: 30,
    auth: { email: 'bot@example.com', apiToken: CLOUD_TOKEN },
  });
  cleanups.push(() => sim.close());
  return sim;
}

function backendWith(options: {
  dbFile?: string;
  clock?: FakeClock;
  preferences?: PreferenceStore;
  schedule?: boolean;
  confirm?: () => Promise<boolean>;
}) {
  const dbFile = options.dbFile ?? tempDir().dbFile;
  const backend = openBackend({
    dbFile,
    initiator: 'app',
    env: { JIRA_TOKEN: CLOUD_TOKEN },
    preferences: options.preferences ?? memoryPreferenceStore({}, 'linux'),
    ...(options.schedule === false ? {} : { schedule: { clock: options.clock ?? new FakeClock() } }),
    ...(options.confirm ? { confirmTokenStorage: options.confirm } : {}),
  });
  cleanups.push(() => backend.close());
  return { backend, dbFile };
}

function withSimInstance(backend: Backend, sim: RunningSimulator): void {
  addInstance(backend.store, {
    name: 'sim',
    url: sim.url,
    flavor: 'cloud',
    email: 'bot@example.com',
    credential: 'env',
    tokenEnv: 'JIRA_TOKEN',
  });
}

async function data<T>(backend: Backend, name: string, input: unknown = {}): Promise<T> {
  const result = await backend.dispatch(name, input);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.data as T;
}

describe('the schedule in the Backend', () => {
  it('starts a sync recorded as "scheduled" when due, and refuses a manual one while it runs', async () => {
    const sim = await simulator();
    const clock = new FakeClock('2026-11-30T09:00:00Z');
    const { backend } = backendWith({ clock });
    withSimInstance(backend, sim);
    const schedules: Schedule[] = [];
    backend.subscribe((event, payload) => event === 'scheduleChanged' && schedules.push(payload as Schedule));
    // The instance was added behind the Backend's back (as the CLI would): the schedule notices.
    await data(backend, 'setSchedule', { intervalMinutes: 30 });
    expect(await data<Schedule>(backend, 'getSchedule')).toMatchObject({ state: 'scheduled', nextDueAt: '2026-11-30T09:30:00.000Z' });

    clock.advance(30 * 60_000);
    // The engine thread starts a few hundred milliseconds later, more on a busy machine.
    await vi.waitFor(() => expect(schedules.at(-1)?.lastScheduledRunId).toEqual(expect.any(String)), { timeout: 30_000 });
    const runId = schedules.at(-1)!.lastScheduledRunId!;
    expect(await backend.dispatch('startSync', {})).toEqual({
      ok: false,
      error: {
        code: 'CONFLICT',
        message: `a scheduled sync is already running (run ${runId}); it brings the mirror up to date: wait for it to finish, or stop it first`,
      },
    });
    const run = await backend.waitForRun(runId);
    expect(run).toMatchObject({ status: 'completed', initiatedBy: 'scheduled', totalIssues: 100 });
    expect(await data<Schedule>(backend, 'getSchedule')).toEqual({
      enabled: true,
      intervalMinutes: 30,
      paused: false,
      state: 'scheduled',
      nextDueAt: '2026-11-30T10:00:00.000Z',
      lastScheduledRunId: runId,
      lastError: null,
    });
    // The tray's Sync now is recorded as the tray's.
    const tray = await backend.startSync({}, 'tray');
    expect(await backend.waitForRun(tray.runId)).toMatchObject({ status: 'completed', initiatedBy: 'tray' });
    expect((await data<{ rows: Run[] }>(backend, 'listRuns', { limit: 5 })).rows.map((r) => r.initiatedBy)).toEqual(['tray', 'scheduled']);
  });

  it('never two runs at once: a start while another is still being planned is refused too', async () => {
    const { backend } = backendWith({});
    await data(backend, 'addDemoInstance');
    // The first start waits for the demo's simulator to come up; the second arrives meanwhile.
    const first = backend.startSync({}, 'tray');
    expect(await backend.dispatch('startSync', {})).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'a sync is already running' },
    });
    const { runId } = await first;
    expect(await backend.waitForRun(runId)).toMatchObject({ status: 'completed', initiatedBy: 'tray' });
    expect(await data(backend, 'listRuns', { limit: 5 })).toMatchObject({ total: 1 });
  });

  it('waits for an instance: adding one (the demo) arms it one interval from then; removing it disarms', async () => {
    const clock = new FakeClock('2026-11-30T09:00:00Z');
    const { backend } = backendWith({ clock });
    expect(await data<Schedule>(backend, 'getSchedule')).toMatchObject({ enabled: true, state: 'no-instance', nextDueAt: null });
    clock.advance(10 * 60_000);
    const demo = await data<{ name: string }>(backend, 'addDemoInstance');
    expect(await data<Schedule>(backend, 'getSchedule')).toMatchObject({ state: 'scheduled', nextDueAt: '2026-11-30T10:10:00.000Z' });
    await data(backend, 'removeInstance', { name: demo.name });
    expect(await data<Schedule>(backend, 'getSchedule')).toMatchObject({ state: 'no-instance', nextDueAt: null });
  });

  it('keeps the next due time across a restart of the Backend', async () => {
    const sim = await simulator();
    const preferences = memoryPreferenceStore({}, 'linux');
    const clock = new FakeClock('2026-11-30T09:00:00Z');
    const first = backendWith({ clock, preferences });
    withSimInstance(first.backend, sim);
    expect((await data<Schedule>(first.backend, 'setSchedule', { intervalMinutes: 120 })).nextDueAt).toBe('2026-11-30T11:00:00.000Z');
    await first.backend.close();
    clock.advance(45 * 60_000);
    const second = backendWith({ clock, preferences, dbFile: first.dbFile });
    expect(await data<Schedule>(second.backend, 'getSchedule')).toMatchObject({
      intervalMinutes: 120,
      nextDueAt: '2026-11-30T11:00:00.000Z',
    });
  });

  it('validates changes with specific messages, and a host without a schedule says so', async () => {
    const { backend } = backendWith({});
    expect(await backend.dispatch('setSchedule', { intervalMinutes: 2 })).toEqual({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: 'intervalMinutes must be at least 5',
        fields: { intervalMinutes: 'intervalMinutes must be at least 5' },
      },
    });
    expect(await backend.dispatch('setSchedule', { intervalMinutes: 1.5 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: 'intervalMinutes must be a whole number of minutes (5–1440)' },
    });
    expect(await backend.dispatch('setSchedule', { every: 10 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await data<Schedule>(backend, 'getSchedule')).toMatchObject({ intervalMinutes: 60 }); // nothing changed

    const cli = backendWith({ schedule: false });
    expect(await cli.backend.dispatch('getSchedule', {})).toEqual({
      ok: false,
      error: {
        code: 'UNAVAILABLE',
        message: 'this host runs no sync schedule (the desktop app and the browser preview do; from the CLI, use cron)',
      },
    });
  });
});

describe('the schedule recommendation', () => {
  it('proposes a longer interval when scheduled syncs find nothing, applies it audited, then waits for new evidence', async () => {
    const sim = await simulator();
    const { backend } = backendWith({ clock: new FakeClock('2026-11-30T09:00:00Z') });
    withSimInstance(backend, sim);
    await seedIdleSchedule(backend);

    const proposed = (await data<Recommendations>(backend, 'getRecommendations')).recommendations.find((r) => r.id === 'schedule-interval');
    expect(proposed).toMatchObject({
      title: 'Sync every 30 minutes instead of 15',
      reason:
        '10 of the last 12 scheduled syncs found nothing to change in Jira, and each still spent its requests: every 30 minutes spends fewer, and the mirror is then at most 30 minutes behind Jira instead of 15.',
      change: {},
      scheduleChange: { intervalMinutes: 30 },
      // 40 calls in 12 syncs; each of the 48 syncs a day fewer saves an unchanged sync's 3.
      perDay: { syncsNow: 96, syncsAfter: 48, apiCallsNow: 320, apiCallsAfter: 176 },
    });
    expect(proposed!.evidence.map((e) => [e.label, e.value])).toEqual([
      ['Schedule interval', 15],
      ['Scheduled syncs considered', 12],
      ['Longest scheduled sync', 20_000],
      ['Scheduled syncs that changed nothing', 10],
      ['API calls of those syncs', 40],
    ]);

    const applied = await data<{ schedule: Schedule }>(backend, 'applyRecommendation', { id: 'schedule-interval' });
    expect(applied.schedule).toMatchObject({ intervalMinutes: 30, state: 'scheduled' });
    expect(await data<Schedule>(backend, 'getSchedule')).toMatchObject({ intervalMinutes: 30 });
    const audit = await data<ConfigHistoryPage>(backend, 'getConfigHistory', { type: 'schedule' });
    expect(audit.rows.map((r) => [r.changedBy, r.reason, r.changes])).toEqual([
      ['app', 'recommendation schedule-interval', [{ setting: 'interval_minutes', before: 15, after: 30 }]],
      ['app', null, [{ setting: 'interval_minutes', before: 60, after: 15 }]],
    ]);
    // The syncs judged ran under 15 minutes: nothing to say about 30 until some run under it.
    const after = await data<Recommendations>(backend, 'getRecommendations');
    expect(after.recommendations.map((r) => r.id)).not.toContain('schedule-interval');
    // Pausing is a hold, not a change of the schedule: not audited.
    await data(backend, 'setSchedule', { paused: true });
    expect((await data<ConfigHistoryPage>(backend, 'getConfigHistory', { type: 'schedule' })).total).toBe(2);
  });
});

describe('preferences in the Backend', () => {
  it('reads the defaults, saves a change, tells every UI, refuses bad values', async () => {
    const preferences = memoryPreferenceStore({}, 'win32');
    const { backend } = backendWith({ preferences });
    const changes: AppPreferences[] = [];
    backend.subscribe((event, payload) => event === 'preferencesChanged' && changes.push(payload as AppPreferences));
    expect(await data(backend, 'getPreferences')).toEqual({ theme: 'system', closeToTray: true, notifyOnFailure: true });
    expect(await data(backend, 'setPreferences', { theme: 'dark', notifyOnFailure: false })).toEqual({
      theme: 'dark',
      closeToTray: true,
      notifyOnFailure: false,
    });
    expect(changes).toEqual([{ theme: 'dark', closeToTray: true, notifyOnFailure: false }]);
    expect(preferences.get('theme')).toBe('dark');
    expect(await backend.dispatch('setPreferences', { theme: 'sepia', window: {} })).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: expect.stringMatching(/theme: Invalid option: expected one of "system"\|"light"\|"dark".*Unrecognized key: "window"/),
        fields: { theme: 'Invalid option: expected one of "system"|"light"|"dark"' },
      },
    });
    expect(preferences.get('theme')).toBe('dark');
  });
});

describe('the keyring question before a token is stored', () => {
  const input = { name: 'acme', url: 'https://acme.atlassian.net', flavor: 'cloud', email: 'me@acme.com', token: 'tok-secret-1234' };

  it('declined: nothing is stored, and the error says what to do', async () => {
    const confirm = vi.fn(async () => false);
    const { backend, dbFile } = backendWith({ confirm });
    expect(await backend.dispatch('addInstance', input)).toEqual({
      ok: false,
      error: {
        code: 'UNAVAILABLE',
        message:
          'the instance was not added: its token would be stored without a keyring to protect it. Install and unlock a keyring (GNOME Keyring, KWallet), restart Jira Mirror and add it again, or add it from the CLI with --token-env',
      },
    });
    expect(confirm).toHaveBeenCalledOnce();
    expect(await data(backend, 'listInstances')).toEqual([]);
    expect(existsSync(secretsFileFor(dbFile))).toBe(false);
  });

  it('accepted: the instance and its token are stored', async () => {
    const { backend, dbFile } = backendWith({ confirm: async () => true });
    expect(await data(backend, 'addInstance', input)).toMatchObject({ name: 'acme', credential: 'stored' });
    expect(readFileSync(secretsFileFor(dbFile), 'utf8')).toContain('tok-secret-1234');
  });

  it('asked only when adding an instance with a token (not for the demo)', async () => {
    const confirm = vi.fn(async () => true);
    const { backend } = backendWith({ confirm });
    await data(backend, 'addDemoInstance');
    expect(confirm).not.toHaveBeenCalled();
  });
});
