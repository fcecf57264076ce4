/**
 * Time as the scheduler sees it: wall-clock `now` and one-shot timers. Injected so tests step
 * through hours of schedule instantly (tests/helpers/fakeClock.ts).
 */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): ClockTimer;
  clearTimeout(timer: ClockTimer): void;
}

/** Opaque handle of a pending timer. */
export type ClockTimer = { readonly __clockTimer: true };

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    // A pending scheduled sync never keeps a process alive on its own.
    timer.unref();
    return timer as unknown as ClockTimer;
  },
  clearTimeout: (timer) => clearTimeout(timer as unknown as NodeJS.Timeout),
};
