/**
 * A Clock whose time only moves when a test says so. Like real timers, its timers run on a
 * monotonic clock apart from the wall clock: `advance` moves both (firing due timers in order),
 * `jump` moves only the wall clock — what a process sees after sleep or a system clock change.
 */
import type { Clock, ClockTimer } from '../../src/service/clock.ts';

interface Pending {
  at: number;
  seq: number;
  callback: () => void;
}

export class FakeClock implements Clock {
  #wall: number;
  #monotonic = 0;
  #seq = 0;
  readonly #pending = new Map<ClockTimer, Pending>();

  constructor(startIso = '2026-11-30T09:00:00Z') {
    this.#wall = Date.parse(startIso);
  }

  now(): number {
    return this.#wall;
  }

  setTimeout(callback: () => void, ms: number): ClockTimer {
    const timer = { __clockTimer: true } as ClockTimer;
    this.#pending.set(timer, { at: this.#monotonic + Math.max(0, ms), seq: this.#seq++, callback });
    return timer;
  }

  clearTimeout(timer: ClockTimer): void {
    this.#pending.delete(timer);
  }

  /** Pending timers (a scheduler keeps at most one). */
  get pendingTimers(): number {
    return this.#pending.size;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, in order. */
  advance(ms: number): void {
    const end = this.#monotonic + ms;
    for (;;) {
      const next = [...this.#pending.entries()].sort((a, b) => a[1].at - b[1].at || a[1].seq - b[1].seq)[0];
      if (!next || next[1].at > end) break;
      this.#pending.delete(next[0]);
      this.#wall += next[1].at - this.#monotonic;
      this.#monotonic = next[1].at;
      next[1].callback();
    }
    this.#wall += end - this.#monotonic;
    this.#monotonic = end;
  }

  /** Moves the wall clock only: no timer notices until it fires on its own schedule. */
  jump(ms: number): void {
    this.#wall += ms;
  }
}
