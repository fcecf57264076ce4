/**
 * The schedule's rules with a fake clock (hours pass instantly) and fake sync starts: the
 * interval, never two runs at once, sleep and wake, waiting for the network, and the next due
 * time kept across restarts.
 */
import { describe, expect, it } from 'vitest';
import { memoryPreferenceStore, type PreferenceStore } from '../../src/service/preferences.ts';
import { MAX_TIMER_MS, NETWORK_RECHECK_MS, Scheduler } from '../../src/service/scheduler.ts';
import type { Schedule } from '../../src/shared/model.ts';
import { FakeClock } from '../helpers/fakeClock.ts';

const MINUTE = 60_000;
const settle = () => new Promise((resolve) => setImmediate(resolve));

class ApiLikeError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

function harness(options: { preferences?: PreferenceStore; clock?: FakeClock; instances?: number } = {}) {
  const clock = options.clock ?? new FakeClock('2026-11-30T09:00:00Z');
  const preferences = options.preferences ?? memoryPreferenceStore({}, 'linux');
  const world = {
    instances: options.instances ?? 1,
    running: false,
    online: true,
    /** What the next start does: a run id, or an error to throw. */
    nextStart: null as Error | null,
  };
  const starts: string[] = [];
  const changes: Schedule[] = [];
  const logs: string[] = [];
  const scheduler = new Scheduler({
    clock,
    preferences,
    hasInstance: () => world.instances > 0,
    isSyncRunning: () => world.running,
    isOnline: () => world.online,
    startSync: async () => {
      if (world.nextStart) throw world.nextStart;
      const id = `run-${starts.length + 1}`;
      starts.push(new Date(clock.now()).toISOString());
      return id;
    },
    onChange: (schedule) => changes.push(schedule),
    log: (message) => logs.push(message),
  });
  return { clock, preferences, world, starts, changes, logs, scheduler };
}

describe('the schedule', () => {
  it('is on by default, every 60 minutes, and starts a sync at each interval', async () => {
    const { clock, scheduler, starts } = harness();
    scheduler.start();
    expect(scheduler.get()).toEqual({
      enabled: true,
      intervalMinutes: 60,
      paused: false,
      state: 'scheduled',
      nextDueAt: '2026-11-30T10:00:00.000Z',
      lastScheduledRunId: null,
      lastError: null,
    });
    clock.advance(59 * MINUTE);
    await settle();
    expect(starts).toEqual([]);
    clock.advance(MINUTE);
    await settle();
    expect(starts).toEqual(['2026-11-30T10:00:00.000Z']);
    expect(scheduler.get()).toMatchObject({ nextDueAt: '2026-11-30T11:00:00.000Z', lastScheduledRunId: 'run-1' });
    clock.advance(120 * MINUTE);
    await settle();
    expect(starts).toEqual(['2026-11-30T10:00:00.000Z', '2026-11-30T11:00:00.000Z', '2026-11-30T12:00:00.000Z']);
    // One timer at a time, never longer than a minute (wall-clock drift and sleep are caught quickly).
    expect(clock.pendingTimers).toBe(1);
  });

  it('re-arms at least every minute, so a changed wall clock is noticed within a minute', async () => {
    const { clock, scheduler, starts } = harness();
    scheduler.start();
    clock.advance(MAX_TIMER_MS);
    clock.jump(2 * 60 * MINUTE); // the system clock is set forward: no timer fires for it
    expect(starts).toEqual([]);
    clock.advance(MAX_TIMER_MS);
    await settle();
    expect(starts).toHaveLength(1);
  });

  it('is idle until an instance exists, then counts one interval from then', async () => {
    const { clock, scheduler, world, starts } = harness({ instances: 0 });
    scheduler.start();
    expect(scheduler.get()).toMatchObject({ enabled: true, state: 'no-instance', nextDueAt: null });
    clock.advance(5 * 60 * MINUTE);
    await settle();
    expect(starts).toEqual([]);
    world.instances = 1;
    scheduler.instancesChanged();
    expect(scheduler.get()).toMatchObject({ state: 'scheduled', nextDueAt: '2026-11-30T15:00:00.000Z' });
    world.instances = 0;
    scheduler.instancesChanged();
    expect(scheduler.get()).toMatchObject({ state: 'no-instance', nextDueAt: null });
  });

  it('never starts a second run: a sync due while another runs is skipped, the next is one interval later', async () => {
    const { clock, scheduler, world, starts, logs } = harness();
    scheduler.start();
    world.running = true; // a manual sync (or another process's) is running
    clock.advance(60 * MINUTE);
    await settle();
    expect(starts).toEqual([]);
    expect(scheduler.get().nextDueAt).toBe('2026-11-30T11:00:00.000Z');
    expect(logs).toEqual(['[schedule] a scheduled sync was due while another sync ran; the next one is at 2026-11-30T11:00:00.000Z']);
    world.running = false;
    clock.advance(60 * MINUTE);
    await settle();
    expect(starts).toEqual(['2026-11-30T11:00:00.000Z']);
  });

  it('a sync that started between the check and the start (CONFLICT) counts as the due one; other errors are kept', async () => {
    const { clock, scheduler, world, starts } = harness();
    scheduler.start();
    world.nextStart = new ApiLikeError('CONFLICT', 'a sync is already running (run x)');
    clock.advance(60 * MINUTE);
    await settle();
    expect(scheduler.get()).toMatchObject({ state: 'scheduled', lastError: null, nextDueAt: '2026-11-30T11:00:00.000Z' });

    world.nextStart = new ApiLikeError(
      'VALIDATION',
      'instance "acme" reads its token from the environment variable JIRA_TOKEN, which is not set',
    );
    clock.advance(60 * MINUTE);
    await settle();
    expect(scheduler.get()).toMatchObject({ lastError: world.nextStart.message, nextDueAt: '2026-11-30T12:00:00.000Z' });

    world.nextStart = null;
    clock.advance(60 * MINUTE);
    await settle();
    expect(starts).toEqual(['2026-11-30T12:00:00.000Z']);
    expect(scheduler.get()).toMatchObject({ lastError: null, lastScheduledRunId: 'run-1' });
  });

  it('sleeps with the machine and runs a missed sync once on wake, not once per missed interval', async () => {
    const { clock, scheduler, starts } = harness();
    scheduler.start();
    clock.advance(30 * MINUTE);
    scheduler.suspend();
    expect(clock.pendingTimers).toBe(0);
    clock.jump(5 * 60 * MINUTE); // five hours asleep: five due times missed
    await settle();
    expect(starts).toEqual([]);
    scheduler.resume();
    await settle();
    expect(starts).toEqual(['2026-11-30T14:30:00.000Z']);
    expect(scheduler.get().nextDueAt).toBe('2026-11-30T15:30:00.000Z');
  });

  it('after waking offline, waits for the network and runs once it is back', async () => {
    const { clock, scheduler, world, starts } = harness();
    scheduler.start();
    scheduler.suspend();
    clock.jump(90 * MINUTE);
    world.online = false;
    scheduler.resume();
    await settle();
    expect(starts).toEqual([]);
    expect(scheduler.get()).toMatchObject({ state: 'waiting-for-network', nextDueAt: '2026-11-30T10:00:00.000Z' });
    clock.advance(NETWORK_RECHECK_MS * 3);
    await settle();
    expect(starts).toEqual([]);
    world.online = true;
    clock.advance(NETWORK_RECHECK_MS);
    await settle();
    expect(starts).toEqual(['2026-11-30T10:32:00.000Z']);
    expect(scheduler.get()).toMatchObject({ state: 'scheduled', nextDueAt: '2026-11-30T11:32:00.000Z' });
  });

  it('keeps the next due time across restarts; one missed while the app was closed runs at start', async () => {
    const preferences = memoryPreferenceStore({}, 'linux');
    const clock = new FakeClock('2026-11-30T09:00:00Z');
    const first = harness({ preferences, clock });
    first.scheduler.start();
    clock.advance(20 * MINUTE);
    first.scheduler.stop();

    clock.advance(10 * MINUTE); // closed for ten minutes: still due at 10:00
    const second = harness({ preferences, clock });
    second.scheduler.start();
    expect(second.scheduler.get().nextDueAt).toBe('2026-11-30T10:00:00.000Z');
    second.scheduler.stop();

    clock.advance(3 * 60 * MINUTE); // closed over the due time
    const third = harness({ preferences, clock });
    third.scheduler.start();
    await settle();
    expect(third.starts).toEqual(['2026-11-30T12:30:00.000Z']);
    expect(preferences.get('schedule')).toEqual({
      enabled: true,
      intervalMinutes: 60,
      paused: false,
      nextDueAt: '2026-11-30T13:30:00.000Z',
      lastScheduledRunId: 'run-1',
    });
  });

  it('pause holds it (nothing due), resume counts a full interval from then; off stays off across restarts', async () => {
    const { clock, scheduler, starts, preferences } = harness();
    scheduler.start();
    expect(scheduler.update({ paused: true })).toMatchObject({ enabled: true, paused: true, state: 'paused', nextDueAt: null });
    clock.advance(5 * 60 * MINUTE);
    await settle();
    expect(starts).toEqual([]);
    expect(scheduler.update({ paused: false })).toMatchObject({ state: 'scheduled', nextDueAt: '2026-11-30T15:00:00.000Z' });

    expect(scheduler.update({ enabled: false })).toMatchObject({ enabled: false, state: 'off', nextDueAt: null });
    scheduler.stop();
    const restarted = harness({ preferences, clock });
    restarted.scheduler.start();
    expect(restarted.scheduler.get()).toMatchObject({ enabled: false, state: 'off', nextDueAt: null });
  });

  it('a new interval counts from now; the same settings again change nothing', () => {
    const { clock, scheduler, changes } = harness();
    scheduler.start();
    clock.advance(40 * MINUTE);
    expect(scheduler.update({ intervalMinutes: 15 }).nextDueAt).toBe('2026-11-30T09:55:00.000Z');
    const emitted = changes.length;
    expect(scheduler.update({ intervalMinutes: 15, enabled: true }).nextDueAt).toBe('2026-11-30T09:55:00.000Z');
    expect(changes).toHaveLength(emitted);
  });

  it('tells listeners about real changes only, not about the minute re-arm', async () => {
    const { clock, scheduler, changes } = harness();
    scheduler.start();
    expect(changes.map((c) => c.nextDueAt)).toEqual(['2026-11-30T10:00:00.000Z']);
    clock.advance(59 * MINUTE);
    expect(changes).toHaveLength(1);
    clock.advance(MINUTE);
    await settle();
    expect(changes.map((c) => [c.nextDueAt, c.lastScheduledRunId])).toEqual([
      ['2026-11-30T10:00:00.000Z', null],
      ['2026-11-30T11:00:00.000Z', null],
      ['2026-11-30T11:00:00.000Z', 'run-1'],
    ]);
  });
});
