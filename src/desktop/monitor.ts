/**
 * Follows the Backend's events and keeps what the tray and the notifications need: the running
 * run, the last finished one, the schedule, the instance count and the preferences. It renders the
 * tray on every change (and every half minute, for the ages it shows) and decides notifications
 * with ./notifications.ts. Electron-free: the shell passes sinks that draw the tray and raise OS
 * notifications, so the whole flow runs in tests against a real Backend.
 */
import type { Backend } from '../service/backend.ts';
import { systemClock, type Clock, type ClockTimer } from '../service/clock.ts';
import type { EventName } from '../shared/contract.ts';
import type { AppPreferences, Run, Schedule } from '../shared/model.ts';
import type { AnomalyChangeEvent } from '../shared/analytics.ts';
import {
  decideOnAnomaly,
  decideOnRun,
  decideOnScheduleError,
  INITIAL_NOTIFIER_STATE,
  streakAfter,
  type Notice,
  type NotifierState,
} from './notifications.ts';
import { localTime, type TimeFormatter } from './texts.ts';
import { trayView, type TrayStatus, type TrayView } from './trayMenu.ts';

export interface DesktopSinks {
  showTray(view: TrayView): void;
  notify(notice: Notice): void;
  /** Whether the main window is focused (and so already shows what a notification would say). */
  isWindowFocused(): boolean;
  log?(message: string): void;
}

export interface MonitorOptions {
  clock?: Clock;
  /** How often the tray's ages are refreshed. */
  refreshMs?: number;
  time?: TimeFormatter;
}

export interface DesktopMonitor {
  status(): TrayStatus;
  /** Resolves when every notification decision so far has been made (tests, orderly quit). */
  settled(): Promise<void>;
  stop(): void;
}

export const TRAY_REFRESH_MS = 30_000;
/** Runs whose final state has been handled; a handful is enough to ignore late duplicates. */
const REMEMBERED_RUNS = 50;

type MonitorBackend = Pick<Backend, 'call' | 'subscribe'>;

export async function startDesktopMonitor(
  backend: MonitorBackend,
  sinks: DesktopSinks,
  options: MonitorOptions = {},
): Promise<DesktopMonitor> {
  const clock = options.clock ?? systemClock;
  const refreshMs = options.refreshMs ?? TRAY_REFRESH_MS;
  const time = options.time ?? localTime;
  const log = sinks.log ?? ((message: string) => console.warn(message));

  // Subscribed before the first reads, so nothing that happens meanwhile is missed: replayed after them.
  const early: Array<[EventName, unknown]> = [];
  let dispatch: ((event: EventName, payload: unknown) => void) | null = null;
  const unsubscribe = backend.subscribe((event, payload) => (dispatch ? dispatch(event, payload) : early.push([event, payload])));

  const [history, active, instances, preferences, schedule] = await Promise.all([
    backend.call('listRuns', { limit: 2, offset: 0, sort: 'startedAt', order: 'desc' }),
    backend.call('getActiveSync', {}),
    backend.call('listInstances', {}),
    backend.call('getPreferences', {}),
    backend.call('getSchedule', {}).catch(() => null),
  ]);
  let instanceNames = instances.map((instance) => instance.name);
  const status: TrayStatus = {
    activeRun: history.rows.find((run) => run.id === active.runId) ?? null,
    lastRun: history.rows.find((run) => run.status !== 'running') ?? null,
    schedule,
    instanceCount: instances.length,
    preferences,
  };
  // A failure from before this start is old news: only its repeat stays quiet, its recovery is told.
  let notifier: NotifierState = INITIAL_NOTIFIER_STATE;
  if (status.lastRun && (status.lastRun.status === 'failed' || status.lastRun.status === 'partial')) {
    const detail = await backend.call('getRun', { id: status.lastRun.id });
    notifier = { streak: streakAfter(detail, instanceNames) };
  }
  // The last run's final state is known already: its update, if replayed, changes nothing.
  const handled: string[] = status.lastRun ? [status.lastRun.id] : [];
  let decisions = Promise.resolve();
  let timer: ClockTimer | null = null;
  let stopped = false;

  const context = () => ({ enabled: status.preferences.notifyOnFailure, windowFocused: sinks.isWindowFocused(), instanceNames });

  function render(): void {
    if (!stopped) sinks.showTray(trayView(status, clock.now(), time));
  }

  function refreshLoop(): void {
    timer = clock.setTimeout(() => {
      render();
      refreshLoop();
    }, refreshMs);
  }

  function onRun(run: Run): void {
    if (handled.includes(run.id)) return;
    if (run.status === 'running') {
      status.activeRun = run;
      return render();
    }
    handled.push(run.id);
    if (handled.length > REMEMBERED_RUNS) handled.shift();
    if (status.activeRun?.id === run.id) status.activeRun = null;
    status.lastRun = run;
    render();
    decisions = decisions
      .then(async () => {
        const detail = await backend.call('getRun', { id: run.id });
        const decision = decideOnRun(notifier, detail, context());
        notifier = decision.state;
        if (decision.notice) sinks.notify(decision.notice);
      })
      .catch((error: unknown) => log(`[notifications] run ${run.id}: ${String(error)}`));
  }

  function onSchedule(next: Schedule): void {
    const notice = decideOnScheduleError(status.schedule?.lastError ?? null, next.lastError, context());
    status.schedule = next;
    if (notice) sinks.notify(notice);
    render();
  }

  function onPreferences(next: AppPreferences): void {
    status.preferences = next;
    render();
  }

  async function onInstances(): Promise<void> {
    const list = await backend.call('listInstances', {});
    instanceNames = list.map((instance) => instance.name);
    status.instanceCount = list.length;
    render();
  }

  dispatch = (event, payload) => {
    if (event === 'runUpdated') onRun(payload as Run);
    else if (event === 'scheduleChanged') onSchedule(payload as Schedule);
    else if (event === 'preferencesChanged') onPreferences(payload as AppPreferences);
    else if (event === 'anomalyChanged') {
      const notice = decideOnAnomaly(payload as AnomalyChangeEvent, context());
      if (notice) sinks.notify(notice);
    } else if (event === 'instancesChanged')
      onInstances().catch((error: unknown) => log(`[tray] listing instances failed: ${String(error)}`));
  };
  for (const [event, payload] of early.splice(0)) dispatch(event, payload);
  render();
  refreshLoop();

  return {
    status: () => status,
    settled: () => decisions,
    stop() {
      stopped = true;
      unsubscribe();
      if (timer) clock.clearTimeout(timer);
    },
  };
}
