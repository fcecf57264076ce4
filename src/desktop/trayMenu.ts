/**
 * What the tray shows for a given state: the icon (idle, syncing, last sync failed), the tooltip
 * saying it in words, and the context menu as plain data. The Electron adapter (src/main/tray.ts)
 * turns the data into a Menu and maps each item's action to a call; on Linux every action has to
 * live in this menu, because a click on the icon is not delivered there.
 */
import type { AppPreferences, Run, Schedule } from '../shared/model.ts';
import { formatAge, formatCount, formatDueIn, formatInterval, localTime, OUTCOME_WORDS, type TimeFormatter } from './texts.ts';

export const TRAY_ICONS = ['idle', 'syncing', 'failed'] as const;
export type TrayIcon = (typeof TRAY_ICONS)[number];

export type TrayAction =
  | { kind: 'sync-now' }
  | { kind: 'stop-sync'; runId: string }
  | { kind: 'pause-schedule' }
  | { kind: 'resume-schedule' }
  | { kind: 'set-interval'; minutes: number }
  | { kind: 'schedule-off' }
  | { kind: 'toggle-notifications' }
  | { kind: 'toggle-close-to-tray' }
  | { kind: 'open' }
  | { kind: 'open-run'; runId: string }
  | { kind: 'quit' };

export type TrayMenuItem =
  | { type: 'separator' }
  | { type: 'normal'; label: string; enabled: boolean; action: TrayAction | null }
  | { type: 'checkbox' | 'radio'; label: string; checked: boolean; action: TrayAction }
  | { type: 'submenu'; label: string; items: TrayMenuItem[] };

/** Everything the tray depends on. */
export interface TrayStatus {
  /** The run in progress in this app, if any. */
  activeRun: Run | null;
  /** The last run that finished (any final status). */
  lastRun: Run | null;
  /** Null when the host runs no schedule. */
  schedule: Schedule | null;
  instanceCount: number;
  preferences: AppPreferences;
}

export interface TrayView {
  icon: TrayIcon;
  tooltip: string;
  menu: TrayMenuItem[];
}

/** The intervals offered in the tray; the UI may set any other within the contract's bounds. */
export const TRAY_INTERVALS = [15, 30, 60, 120, 240, 720, 1440] as const;

/** Runs that did not complete: the icon shows the failure until a sync completes. */
const ATTENTION = new Set<Run['status']>(['failed', 'partial', 'interrupted']);

export function trayIcon(status: TrayStatus): TrayIcon {
  if (status.activeRun) return 'syncing';
  return status.lastRun && ATTENTION.has(status.lastRun.status) ? 'failed' : 'idle';
}

export function trayView(status: TrayStatus, nowMs: number, time: TimeFormatter = localTime): TrayView {
  const activity = activityLine(status, nowMs);
  const schedule = status.schedule ? scheduleLine(status.schedule, nowMs, time) : null;
  return {
    icon: trayIcon(status),
    tooltip: ['Jira Mirror', activity.tooltip, schedule].filter(Boolean).join('\n'),
    menu: menu(status, activity.item, schedule),
  };
}

function activityLine(status: TrayStatus, nowMs: number): { item: TrayMenuItem; tooltip: string } {
  const active = status.activeRun;
  if (active) {
    const done = active.successfulProjects + active.failedProjects;
    const projects = active.totalProjects > 0 ? `, ${done} of ${active.totalProjects} projects done` : '';
    const started = formatAge(Date.parse(active.startedAt), nowMs);
    const text = `Syncing (started ${started}${projects})`;
    return { item: { type: 'normal', label: `${text}…`, enabled: true, action: { kind: 'open-run', runId: active.id } }, tooltip: text };
  }
  const last = status.lastRun;
  if (!last) {
    const text = status.instanceCount === 0 ? 'No Jira instance yet' : 'No sync yet';
    return { item: { type: 'normal', label: text, enabled: false, action: null }, tooltip: text };
  }
  const age = formatAge(Date.parse(last.completedAt ?? last.startedAt), nowMs);
  const category = last.errorCategory && last.status !== 'stopped' ? ` (${last.errorCategory})` : '';
  const issues = last.status === 'completed' ? `, ${formatCount(last.totalIssues)} issues` : '';
  const text = `Last sync ${OUTCOME_WORDS[last.status]} ${age}${category}${issues}`;
  return { item: { type: 'normal', label: text, enabled: true, action: { kind: 'open-run', runId: last.id } }, tooltip: text };
}

function scheduleLine(schedule: Schedule, nowMs: number, time: TimeFormatter): string {
  switch (schedule.state) {
    case 'off':
      return 'Schedule off';
    case 'paused':
      return 'Schedule paused';
    case 'no-instance':
      return 'Schedule starts once an instance is added';
    case 'waiting-for-network':
      return 'Scheduled sync waits for the network';
    case 'scheduled': {
      const due = Date.parse(schedule.nextDueAt ?? '');
      return Number.isNaN(due) ? 'Schedule on' : `Next sync at ${time(due)} (${formatDueIn(due, nowMs)})`;
    }
  }
}

function menu(status: TrayStatus, activity: TrayMenuItem, scheduleText: string | null): TrayMenuItem[] {
  const { activeRun, schedule, preferences } = status;
  const items: TrayMenuItem[] = [activity];
  if (scheduleText) items.push({ type: 'normal', label: scheduleText, enabled: false, action: null });
  if (schedule?.lastError)
    items.push({ type: 'normal', label: `Scheduled sync could not start: ${schedule.lastError}`, enabled: false, action: null });
  items.push({ type: 'separator' });
  items.push({ type: 'normal', label: 'Sync now', enabled: !activeRun && status.instanceCount > 0, action: { kind: 'sync-now' } });
  if (activeRun) items.push({ type: 'normal', label: 'Stop sync', enabled: true, action: { kind: 'stop-sync', runId: activeRun.id } });
  if (schedule?.enabled) {
    items.push(
      schedule.paused
        ? { type: 'normal', label: 'Resume schedule', enabled: true, action: { kind: 'resume-schedule' } }
        : { type: 'normal', label: 'Pause schedule', enabled: true, action: { kind: 'pause-schedule' } },
    );
  }
  if (schedule) items.push({ type: 'submenu', label: 'Sync automatically', items: intervalItems(schedule) });
  items.push(
    { type: 'separator' },
    { type: 'checkbox', label: 'Notify when a sync fails', checked: preferences.notifyOnFailure, action: { kind: 'toggle-notifications' } },
    {
      type: 'checkbox',
      label: 'Keep running in the tray when the window closes',
      checked: preferences.closeToTray,
      action: { kind: 'toggle-close-to-tray' },
    },
    { type: 'separator' },
    { type: 'normal', label: 'Open Jira Mirror', enabled: true, action: { kind: 'open' } },
    { type: 'normal', label: 'Quit Jira Mirror', enabled: true, action: { kind: 'quit' } },
  );
  return items;
}

function intervalItems(schedule: Schedule): TrayMenuItem[] {
  const minutes: number[] = [...TRAY_INTERVALS];
  // An interval set elsewhere (the UI) is shown too, so the radio group always shows the truth.
  if (!minutes.includes(schedule.intervalMinutes)) minutes.push(schedule.intervalMinutes);
  minutes.sort((a, b) => a - b);
  return [
    { type: 'radio', label: 'Off', checked: !schedule.enabled, action: { kind: 'schedule-off' } },
    ...minutes.map((value): TrayMenuItem => ({
      type: 'radio',
      label: capitalize(formatInterval(value)),
      checked: schedule.enabled && schedule.intervalMinutes === value,
      action: { kind: 'set-interval', minutes: value },
    })),
  ];
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
