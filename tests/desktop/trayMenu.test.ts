/** The tray for each state: icon, tooltip and the exact menu. */
import { describe, expect, it } from 'vitest';
import { trayView, type TrayMenuItem, type TrayStatus } from '../../src/desktop/trayMenu.ts';
import type { Run, Schedule } from '../../src/shared/model.ts';

const NOW = Date.parse('2026-11-30T09:00:00Z');
const utc = (ms: number) => new Date(ms).toISOString().slice(11, 16);

function run(overrides: Partial<Run>): Run {
  return {
    id: 'run-1',
    status: 'completed',
    initiatedBy: 'app',
    startedAt: '2026-11-30T08:50:00.000Z',
    completedAt: '2026-11-30T08:55:00.000Z',
    durationMs: 300_000,
    totalProjects: 3,
    successfulProjects: 3,
    failedProjects: 0,
    totalIssues: 1245,
    issuesCreated: 0,
    issuesUpdated: 3,
    issuesUnchanged: 1242,
    issuesDeleted: 0,
    errorMessage: null,
    errorCategory: null,
    ...overrides,
  };
}

const SCHEDULED: Schedule = {
  enabled: true,
  intervalMinutes: 60,
  paused: false,
  state: 'scheduled',
  nextDueAt: '2026-11-30T09:42:00.000Z',
  lastScheduledRunId: null,
  lastError: null,
};

function status(overrides: Partial<TrayStatus> = {}): TrayStatus {
  return {
    activeRun: null,
    lastRun: run({}),
    schedule: SCHEDULED,
    instanceCount: 1,
    preferences: { theme: 'system', closeToTray: true, notifyOnFailure: true },
    ...overrides,
  };
}

/** The menu as lines a person reads: "[x]" checked, "( )" radio, "-" separator, "(disabled)". */
function lines(items: TrayMenuItem[], indent = ''): string[] {
  return items.flatMap((item): string[] => {
    if (item.type === 'separator') return [`${indent}-`];
    if (item.type === 'submenu') return [`${indent}${item.label} >`, ...lines(item.items, `${indent}  `)];
    if (item.type === 'normal') return [`${indent}${item.label}${item.enabled ? '' : ' (disabled)'}`];
    const mark = item.type === 'checkbox' ? (item.checked ? '[x]' : '[ ]') : item.checked ? '(o)' : '( )';
    return [`${indent}${mark} ${item.label}`];
  });
}

const action = (items: TrayMenuItem[], label: string) => {
  const found = items.find((item) => 'label' in item && item.label === label);
  return found && 'action' in found ? found.action : undefined;
};

describe('the tray', () => {
  it('idle after a completed sync: the result and age, the next sync, every action in the menu', () => {
    const view = trayView(status(), NOW, utc);
    expect(view.icon).toBe('idle');
    expect(view.tooltip).toBe('Jira Mirror\nLast sync completed 5 min ago, 1,245 issues\nNext sync at 09:42 (in 42 min)');
    expect(lines(view.menu)).toEqual([
      'Last sync completed 5 min ago, 1,245 issues',
      'Next sync at 09:42 (in 42 min) (disabled)',
      '-',
      'Sync now',
      'Pause schedule',
      'Sync automatically >',
      '  ( ) Off',
      '  ( ) Every 15 minutes',
      '  ( ) Every 30 minutes',
      '  (o) Every hour',
      '  ( ) Every 2 hours',
      '  ( ) Every 4 hours',
      '  ( ) Every 12 hours',
      '  ( ) Every 24 hours',
      '-',
      '[x] Notify when a sync fails',
      '[x] Keep running in the tray when the window closes',
      '-',
      'Open Jira Mirror',
      'Quit Jira Mirror',
    ]);
    expect(action(view.menu, 'Last sync completed 5 min ago, 1,245 issues')).toEqual({ kind: 'open-run', runId: 'run-1' });
    expect(action(view.menu, 'Sync now')).toEqual({ kind: 'sync-now' });
    expect(action(view.menu, 'Pause schedule')).toEqual({ kind: 'pause-schedule' });
  });

  it('while syncing: the syncing icon, progress in words, Stop sync, Sync now disabled', () => {
    const active = run({
      id: 'run-2',
      status: 'running',
      startedAt: '2026-11-30T08:58:00.000Z',
      completedAt: null,
      successfulProjects: 1,
      failedProjects: 1,
    });
    const view = trayView(status({ activeRun: active }), NOW, utc);
    expect(view.icon).toBe('syncing');
    expect(view.tooltip).toBe('Jira Mirror\nSyncing (started 2 min ago, 2 of 3 projects done)\nNext sync at 09:42 (in 42 min)');
    expect(lines(view.menu).slice(0, 6)).toEqual([
      'Syncing (started 2 min ago, 2 of 3 projects done)…',
      'Next sync at 09:42 (in 42 min) (disabled)',
      '-',
      'Sync now (disabled)',
      'Stop sync',
      'Pause schedule',
    ]);
    expect(action(view.menu, 'Stop sync')).toEqual({ kind: 'stop-sync', runId: 'run-2' });
  });

  it('after a failed or partial sync: the failed icon and the category', () => {
    const failed = trayView(
      status({
        lastRun: run({ status: 'failed', successfulProjects: 0, errorCategory: 'Authentication', completedAt: '2026-11-30T06:40:00.000Z' }),
      }),
      NOW,
      utc,
    );
    expect(failed.icon).toBe('failed');
    expect(lines(failed.menu)[0]).toBe('Last sync failed 2 h 20 min ago (Authentication)');
    const partial = trayView(status({ lastRun: run({ status: 'partial', errorCategory: 'Integrity' }) }), NOW, utc);
    expect(partial.icon).toBe('failed');
    expect(partial.tooltip.split('\n')[1]).toBe('Last sync partly failed 5 min ago (Integrity)');
    const interrupted = trayView(
      status({ lastRun: run({ status: 'interrupted', completedAt: null, startedAt: '2026-11-28T09:00:00.000Z' }) }),
      NOW,
      utc,
    );
    expect(interrupted.icon).toBe('failed');
    expect(lines(interrupted.menu)[0]).toBe('Last sync was interrupted 2 days ago');
    // A sync the user stopped is not a failure.
    const stopped = trayView(status({ lastRun: run({ status: 'stopped', errorCategory: 'Cancelled' }) }), NOW, utc);
    expect(stopped.icon).toBe('idle');
    expect(lines(stopped.menu)[0]).toBe('Last sync stopped 5 min ago');
  });

  it('before any instance: nothing to sync, the schedule says it waits for one', () => {
    const view = trayView(
      status({ lastRun: null, instanceCount: 0, schedule: { ...SCHEDULED, state: 'no-instance', nextDueAt: null } }),
      NOW,
      utc,
    );
    expect(view.icon).toBe('idle');
    expect(lines(view.menu).slice(0, 5)).toEqual([
      'No Jira instance yet (disabled)',
      'Schedule starts once an instance is added (disabled)',
      '-',
      'Sync now (disabled)',
      'Pause schedule',
    ]);
  });

  it('a paused schedule offers Resume; an off one offers neither, and Off is the checked interval', () => {
    const paused = trayView(status({ schedule: { ...SCHEDULED, paused: true, state: 'paused', nextDueAt: null } }), NOW, utc);
    expect(lines(paused.menu)).toContain('Resume schedule');
    expect(lines(paused.menu)).toContain('Schedule paused (disabled)');
    expect(action(paused.menu, 'Resume schedule')).toEqual({ kind: 'resume-schedule' });

    const off = trayView(status({ schedule: { ...SCHEDULED, enabled: false, state: 'off', nextDueAt: null } }), NOW, utc);
    const offLines = lines(off.menu);
    expect(offLines.filter((line) => /schedule$/.test(line))).toEqual([]);
    expect(offLines).toContain('Schedule off (disabled)');
    expect(offLines).toContain('  (o) Off');
    expect(off.tooltip).toBe('Jira Mirror\nLast sync completed 5 min ago, 1,245 issues\nSchedule off');
  });

  it('shows an interval set elsewhere among the choices, and what keeps a due sync waiting', () => {
    const view = trayView(
      status({ schedule: { ...SCHEDULED, intervalMinutes: 45, state: 'waiting-for-network', lastError: null } }),
      NOW,
      utc,
    );
    expect(lines(view.menu)).toContain('  (o) Every 45 minutes');
    expect(lines(view.menu)).toContain('Scheduled sync waits for the network (disabled)');
    const submenu = view.menu.find((item) => item.type === 'submenu');
    expect(submenu && submenu.type === 'submenu' && action(submenu.items, 'Every 2 hours')).toEqual({ kind: 'set-interval', minutes: 120 });
    const failing = trayView(status({ schedule: { ...SCHEDULED, lastError: 'no token is stored for instance "acme"' } }), NOW, utc);
    expect(lines(failing.menu)[2]).toBe('Scheduled sync could not start: no token is stored for instance "acme" (disabled)');
  });

  it('the checkboxes show and toggle the preferences; a host without a schedule has no schedule items', () => {
    const view = trayView(status({ schedule: null, preferences: { theme: 'dark', closeToTray: false, notifyOnFailure: false } }), NOW, utc);
    expect(lines(view.menu)).toEqual([
      'Last sync completed 5 min ago, 1,245 issues',
      '-',
      'Sync now',
      '-',
      '[ ] Notify when a sync fails',
      '[ ] Keep running in the tray when the window closes',
      '-',
      'Open Jira Mirror',
      'Quit Jira Mirror',
    ]);
    expect(action(view.menu, 'Notify when a sync fails')).toEqual({ kind: 'toggle-notifications' });
    expect(action(view.menu, 'Keep running in the tray when the window closes')).toEqual({ kind: 'toggle-close-to-tray' });
    expect(action(view.menu, 'Quit Jira Mirror')).toEqual({ kind: 'quit' });
  });
});
