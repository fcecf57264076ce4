/**
 * The tray and the notifications end to end without Electron: the real Backend syncing a real
 * simulator over loopback, with the desktop monitor's sinks recording what the shell would draw
 * and raise, and the tray's actions performed as a click would.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startDesktopMonitor, type DesktopMonitor } from '../../src/desktop/monitor.ts';
import type { Notice } from '../../src/desktop/notifications.ts';
import { performTrayAction, type TrayActionDeps } from '../../src/desktop/trayActions.ts';
import type { TrayAction, TrayMenuItem, TrayView } from '../../src/desktop/trayMenu.ts';
import type { Backend } from '../../src/service/backend.ts';
import { openBackend } from '../../src/service/openBackend.ts';
import { memoryPreferenceStore } from '../../src/service/preferences.ts';
import type { Run } from '../../src/shared/model.ts';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import { FakeClock } from '../helpers/fakeClock.ts';
import { CLOUD_TOKEN } from '../helpers/mirror.ts';
import { tempDir } from '../helpers/tempDb.ts';

let cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

const utc = (ms: number) => new Date(ms).toISOString().slice(11, 16);
/** Waits for what the monitor renders after the Backend answered (generously: the machine may be busy). */
const eventually = (check: () => void) => vi.waitFor(check, { timeout: 20_000 });

async function setup() {
  const sim: RunningSimulator = await startSimulator({
    projects: [
      { key: 'PROJ', name: 'Project', issues: 60 },
      { key: 'WEB', name: 'Web', issues: 40 },
    ],
    latencyMs: 10,
    auth: { email: 'bot@example.com', apiToken: CLOUD_TOKEN },
  });
  const temp = tempDir();
  const clock = new FakeClock('2026-11-30T09:00:00Z');
  const backend = openBackend({
    dbFile: temp.dbFile,
    initiator: 'app',
    env: {},
    preferences: memoryPreferenceStore({}, 'win32'),
    schedule: { clock },
  });
  const views: TrayView[] = [];
  const notices: Notice[] = [];
  const world = { focused: false };
  const monitor: DesktopMonitor = await startDesktopMonitor(
    backend,
    { showTray: (view) => views.push(view), notify: (notice) => notices.push(notice), isWindowFocused: () => world.focused, log: () => {} },
    { clock, time: utc },
  );
  const opened: Array<string | undefined> = [];
  const quit = vi.fn();
  const actions: TrayActionDeps = {
    backend,
    status: () => monitor.status(),
    openWindow: (route) => opened.push(route),
    quit,
    notify: (notice) => notices.push(notice),
  };
  cleanups.push(async () => {
    monitor.stop();
    await backend.close();
    await sim.close();
    temp.cleanup();
  });
  const addAcme = (token: string) =>
    backend.dispatch('addInstance', { name: 'acme', url: sim.url, flavor: 'cloud', email: 'bot@example.com', token });
  return { sim, backend, clock, views, notices, world, monitor, actions, opened, quit, addAcme };
}

/** Resolves with the next run to reach a final status. */
function nextFinishedRun(backend: Backend): Promise<Run> {
  return new Promise((resolve) => {
    const unsubscribe = backend.subscribe((event, payload) => {
      if (event !== 'runUpdated' || (payload as Run).status === 'running') return;
      unsubscribe();
      resolve(payload as Run);
    });
  });
}

/**
 * Performs a tray action that starts a sync; resolves at the run's final update, which arrives just
 * before the engine thread exits, so a following Sync now also proves it is not refused then.
 */
async function click(action: TrayAction, deps: TrayActionDeps, backend: Backend, monitor: DesktopMonitor): Promise<Run> {
  const finished = nextFinishedRun(backend);
  await performTrayAction(action, deps);
  const run = await finished;
  await monitor.settled();
  return run;
}

const labels = (menu: TrayMenuItem[]) => menu.flatMap((item) => ('label' in item ? [item.label] : []));

describe('the desktop monitor and the tray actions on a real Backend', () => {
  it('a failing sync raises one notification, its repeat none, the recovery one; the tray follows', async () => {
    const { backend, views, notices, monitor, actions, opened, addAcme } = await setup();
    expect(views.at(-1)).toMatchObject({
      icon: 'idle',
      tooltip: 'Jira Mirror\nNo Jira instance yet\nSchedule starts once an instance is added',
    });
    expect((await addAcme('wrong-token-0000')).ok).toBe(true);
    await eventually(() => expect(labels(views.at(-1)!.menu)[0]).toBe('No sync yet'));

    const failed = await click({ kind: 'sync-now' }, actions, backend, monitor);
    expect(failed).toMatchObject({ status: 'failed', initiatedBy: 'tray', errorCategory: 'Authentication' });
    expect(notices).toEqual([
      {
        kind: 'failure',
        title: 'Sync failed: acme',
        body: 'Authentication: Jira rejected the credentials.\nacme: HTTP 401 from /rest/api/3/myself: Client must be authenticated to access this resource.',
        runId: failed.id,
      },
    ]);
    expect(views.at(-1)!.icon).toBe('failed');
    expect(labels(views.at(-1)!.menu)[0]).toBe('Last sync failed just now (Authentication)');

    // The same failure again: nothing new.
    await click({ kind: 'sync-now' }, actions, backend, monitor);
    expect(notices).toHaveLength(1);

    // Clicking the notification opens that run's detail.
    await performTrayAction({ kind: 'open-run', runId: failed.id }, actions);
    expect(opened).toEqual([`#/runs/${failed.id}`]);

    // The token is fixed: the next sync recovers, told once.
    await backend.dispatch('removeInstance', { name: 'acme' });
    expect((await addAcme(CLOUD_TOKEN)).ok).toBe(true);
    const recovered = await click({ kind: 'sync-now' }, actions, backend, monitor);
    expect(recovered.status).toBe('completed');
    expect(notices.slice(1)).toEqual([
      {
        kind: 'recovery',
        title: 'Sync recovered: acme (PROJ, WEB)',
        body: 'Completed after 2 failed syncs; 100 issues synced.',
        runId: recovered.id,
      },
    ]);
    expect(views.at(-1)!.icon).toBe('idle');
    expect(labels(views.at(-1)!.menu)[0]).toBe('Last sync completed just now, 100 issues');
  });

  it('raises nothing while the window is focused, or once notifications are turned off in the tray', async () => {
    const { backend, views, notices, world, monitor, actions, addAcme } = await setup();
    await addAcme('wrong-token-0000');
    world.focused = true;
    await click({ kind: 'sync-now' }, actions, backend, monitor);
    expect(notices).toEqual([]);
    world.focused = false;
    await performTrayAction({ kind: 'toggle-notifications' }, actions);
    expect(await backend.call('getPreferences', {})).toMatchObject({ notifyOnFailure: false });
    await eventually(() =>
      expect(views.at(-1)!.menu).toContainEqual(expect.objectContaining({ label: 'Notify when a sync fails', checked: false })),
    );
    await backend.dispatch('removeInstance', { name: 'acme' });
    await addAcme(CLOUD_TOKEN);
    await click({ kind: 'sync-now' }, actions, backend, monitor);
    expect(notices).toEqual([]);
  });

  it('the schedule items change the schedule, and the tray shows it', async () => {
    const { backend, clock, views, actions, addAcme } = await setup();
    await addAcme(CLOUD_TOKEN);
    await eventually(() => expect(views.at(-1)!.tooltip).toBe('Jira Mirror\nNo sync yet\nNext sync at 10:00 (in 1 h)'));
    clock.advance(5 * 60_000);
    await performTrayAction({ kind: 'set-interval', minutes: 15 }, actions);
    expect(await backend.call('getSchedule', {})).toMatchObject({ intervalMinutes: 15, nextDueAt: '2026-11-30T09:20:00.000Z' });
    await eventually(() => expect(labels(views.at(-1)!.menu)[1]).toBe('Next sync at 09:20 (in 15 min)'));
    await performTrayAction({ kind: 'pause-schedule' }, actions);
    await eventually(() => expect(labels(views.at(-1)!.menu)).toContain('Resume schedule'));
    await performTrayAction({ kind: 'resume-schedule' }, actions);
    expect(await backend.call('getSchedule', {})).toMatchObject({ paused: false, nextDueAt: '2026-11-30T09:20:00.000Z' });
    await performTrayAction({ kind: 'schedule-off' }, actions);
    await eventually(() => expect(labels(views.at(-1)!.menu)[1]).toBe('Schedule off'));
  });

  it('after a restart, the failure it ended with is not told again, its recovery is', async () => {
    const { backend, clock, notices, monitor, actions, addAcme } = await setup();
    await addAcme('wrong-token-0000');
    await click({ kind: 'sync-now' }, actions, backend, monitor);
    expect(notices).toHaveLength(1);
    monitor.stop();

    const restarted: Notice[] = [];
    const again = await startDesktopMonitor(
      backend,
      { showTray: () => {}, notify: (notice) => restarted.push(notice), isWindowFocused: () => false, log: () => {} },
      { clock, time: utc },
    );
    cleanups.push(() => again.stop());
    expect(again.status().lastRun).toMatchObject({ status: 'failed' });
    const deps = { ...actions, status: () => again.status(), notify: (notice: Notice) => restarted.push(notice) };
    await click({ kind: 'sync-now' }, deps, backend, again);
    expect(restarted).toEqual([]);
    await backend.dispatch('removeInstance', { name: 'acme' });
    await addAcme(CLOUD_TOKEN);
    await click({ kind: 'sync-now' }, deps, backend, again);
    expect(restarted.map((notice) => [notice.kind, notice.body])).toEqual([
      ['recovery', 'Completed after 2 failed syncs; 100 issues synced.'],
    ]);
  });

  it('Sync now that cannot start says why in a notification; Open and Quit reach the shell', async () => {
    const { notices, actions, opened, quit } = await setup();
    await performTrayAction({ kind: 'sync-now' }, actions);
    expect(notices).toEqual([
      {
        kind: 'action-failed',
        title: 'Sync could not start',
        body: 'no Jira instance is configured yet: add one (or the demo instance) first',
        runId: null,
      },
    ]);
    await performTrayAction({ kind: 'open' }, actions);
    await performTrayAction({ kind: 'quit' }, actions);
    expect(opened).toEqual([undefined]);
    expect(quit).toHaveBeenCalledOnce();
  });
});
