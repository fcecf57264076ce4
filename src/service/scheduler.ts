/**
 * The sync schedule: every N minutes, by the wall clock, with the next due time persisted so it
 * survives restarts. Electron-free; the host feeds it power events (sleep and wake) and tells it
 * whether the machine is online.
 *
 * Rules:
 * - Active only when enabled, not paused, and at least one instance exists. Becoming active (or a
 *   new interval) sets the next sync one interval from now; inactive clears it.
 * - Never two runs at once: when a sync is due while another one runs (a manual one, or another
 *   process's), the due sync is skipped — the running one brings the mirror up to date — and the
 *   next one is one interval later. A manual sync during a scheduled one is refused by the Backend.
 * - A due time passed while asleep, offline or with the app closed runs once (not once per missed
 *   interval): on wake or start-up, as soon as the network is back.
 * - Timers are re-armed at least every minute and on every wake, so neither a stalled timer across
 *   sleep nor a changed system clock delays a sync by more than that.
 */
import type { Schedule, ScheduleState } from '../shared/model.ts';
import type { Clock, ClockTimer } from './clock.ts';
import type { PreferenceStore, ScheduleSettings } from './preferences.ts';

export const MAX_TIMER_MS = 60_000;
export const NETWORK_RECHECK_MS = 30_000;

export interface SchedulerDeps {
  clock: Clock;
  preferences: PreferenceStore;
  hasInstance(): boolean;
  /** Whether a sync runs on this database now, in this process or another. */
  isSyncRunning(): boolean;
  isOnline(): boolean;
  /** Starts a sync of every instance recorded as `scheduled`; resolves with its run id. */
  startSync(): Promise<string>;
  onChange(schedule: Schedule): void;
  log?(message: string): void;
}

export type ScheduleChange = Partial<Pick<ScheduleSettings, 'enabled' | 'intervalMinutes' | 'paused'>>;

export class Scheduler {
  readonly #deps: SchedulerDeps;
  #settings: ScheduleSettings;
  #timer: ClockTimer | null = null;
  #running = false;
  #suspended = false;
  #offline = false;
  #starting = false;
  #lastError: string | null = null;
  #lastEmitted = '';

  constructor(deps: SchedulerDeps) {
    this.#deps = deps;
    this.#settings = deps.preferences.get('schedule');
  }

  /** Arms the schedule from its persisted state (a due time already passed runs at once). */
  start(): void {
    this.#running = true;
    this.#alignDueTime();
    this.#check();
  }

  stop(): void {
    this.#running = false;
    this.#disarm();
  }

  get(): Schedule {
    const settings = this.#settings;
    return {
      enabled: settings.enabled,
      intervalMinutes: settings.intervalMinutes,
      paused: settings.paused,
      state: this.#state(),
      nextDueAt: settings.nextDueAt,
      lastScheduledRunId: settings.lastScheduledRunId,
      lastError: this.#lastError,
    };
  }

  update(change: ScheduleChange): Schedule {
    const before = this.#settings;
    const next: ScheduleSettings = {
      ...before,
      ...(change.enabled !== undefined ? { enabled: change.enabled } : {}),
      ...(change.intervalMinutes !== undefined ? { intervalMinutes: change.intervalMinutes } : {}),
      ...(change.paused !== undefined ? { paused: change.paused } : {}),
    };
    const restart = !this.#isActive(before) || next.intervalMinutes !== before.intervalMinutes;
    this.#settings = { ...next, nextDueAt: restart ? null : before.nextDueAt };
    this.#alignDueTime();
    this.#save();
    this.#check();
    return this.get();
  }

  /** Instances were added or removed: the schedule may become active or idle. */
  instancesChanged(): void {
    this.#alignDueTime();
    this.#check();
  }

  /** The machine goes to sleep: no timer fires until it wakes. */
  suspend(): void {
    this.#suspended = true;
    this.#disarm();
  }

  /** The machine woke up: a sync missed while asleep runs now (or once the network is back). */
  resume(): void {
    this.#suspended = false;
    this.#check();
  }

  #isActive(settings: ScheduleSettings): boolean {
    return settings.enabled && !settings.paused && this.#deps.hasInstance();
  }

  #state(): ScheduleState {
    const settings = this.#settings;
    if (!settings.enabled) return 'off';
    if (settings.paused) return 'paused';
    if (settings.nextDueAt === null) return 'no-instance';
    return this.#offline ? 'waiting-for-network' : 'scheduled';
  }

  #oneIntervalFromNow(settings: ScheduleSettings): string {
    return new Date(this.#deps.clock.now() + settings.intervalMinutes * 60_000).toISOString();
  }

  /** Active: a due time exists; inactive: none. Persists the change, if any; returns whether active. */
  #alignDueTime(): boolean {
    const settings = this.#settings;
    const active = this.#isActive(settings);
    if (active && settings.nextDueAt === null) this.#settings = { ...settings, nextDueAt: this.#oneIntervalFromNow(settings) };
    if (!active && settings.nextDueAt !== null) this.#settings = { ...settings, nextDueAt: null };
    if (!active) this.#offline = false;
    if (this.#settings !== settings) this.#save();
    return active;
  }

  /** Re-evaluates the schedule now (timer, wake, change) and tells listeners what changed. */
  #check(): void {
    this.#evaluate();
    this.#emit();
  }

  #evaluate(): void {
    this.#disarm();
    if (!this.#running || this.#suspended || this.#starting) return;
    // Instances may have come or gone behind our back (the CLI adds and removes them too).
    if (!this.#alignDueTime()) return;
    const nextDueAt = this.#settings.nextDueAt!;
    const now = this.#deps.clock.now();
    const due = Date.parse(nextDueAt);
    if (now < due) return this.#arm(Math.min(due - now, MAX_TIMER_MS));
    if (!this.#deps.isOnline()) {
      this.#offline = true;
      return this.#arm(NETWORK_RECHECK_MS);
    }
    this.#offline = false;
    this.#settings = { ...this.#settings, nextDueAt: this.#oneIntervalFromNow(this.#settings) };
    this.#save();
    if (this.#deps.isSyncRunning()) {
      this.#log(`a scheduled sync was due while another sync ran; the next one is at ${this.#settings.nextDueAt}`);
      return this.#evaluate();
    }
    this.#starting = true;
    this.#deps
      .startSync()
      .then(
        (runId) => {
          this.#lastError = null;
          this.#settings = { ...this.#settings, lastScheduledRunId: runId };
          this.#save();
        },
        (error: unknown) => {
          const code = (error as { code?: string } | null)?.code;
          const message = error instanceof Error ? error.message : String(error);
          // A sync started in between (CONFLICT): that one brings the mirror up to date.
          if (code === 'CONFLICT') this.#log(`a scheduled sync was due while another sync started: ${message}`);
          else this.#lastError = message;
        },
      )
      .finally(() => {
        this.#starting = false;
        this.#check();
      });
  }

  #arm(ms: number): void {
    this.#timer = this.#deps.clock.setTimeout(() => {
      this.#timer = null;
      this.#check();
    }, ms);
  }

  #disarm(): void {
    if (this.#timer) this.#deps.clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #save(): void {
    this.#deps.preferences.set('schedule', this.#settings);
  }

  /** Tells listeners only about real changes (the timer re-arms every minute without one). */
  #emit(): void {
    const schedule = this.get();
    const serialized = JSON.stringify(schedule);
    if (serialized === this.#lastEmitted) return;
    this.#lastEmitted = serialized;
    this.#deps.onChange(schedule);
  }

  #log(message: string): void {
    (this.#deps.log ?? ((line: string) => console.warn(line)))(`[schedule] ${message}`);
  }
}
