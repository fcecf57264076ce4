/**
 * A timeout that counts only active time: a project's `project_timeout` measures the time it
 * spends working, not the time it waits for a free worker or for the other projects to finish
 * fetching before its sweep. It fires once, calling `onTimeout`.
 */
export class ActiveTimeout {
  readonly #onTimeout: () => void;
  #remainingMs: number;
  #timer: NodeJS.Timeout | null = null;
  #resumedAt = 0;
  #active = 0;
  #fired = false;

  constructor(limitMs: number, onTimeout: () => void) {
    this.#remainingMs = limitMs;
    this.#onTimeout = onTimeout;
  }

  /** Runs `job` as active time; overlapping jobs count once. */
  async during<T>(job: () => Promise<T>): Promise<T> {
    if (this.#active++ === 0) this.#resume();
    try {
      return await job();
    } finally {
      if (--this.#active === 0) this.#pause();
    }
  }

  clear(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#fired = true;
  }

  #resume(): void {
    if (this.#fired) return;
    this.#resumedAt = performance.now();
    this.#timer = setTimeout(() => {
      this.#fired = true;
      this.#timer = null;
      this.#onTimeout();
    }, this.#remainingMs);
  }

  #pause(): void {
    if (!this.#timer) return;
    clearTimeout(this.#timer);
    this.#timer = null;
    this.#remainingMs = Math.max(0, this.#remainingMs - (performance.now() - this.#resumedAt));
  }
}
