/** Application lifecycle pieces that need no window: orderly shutdown and the single-instance lock. */
import type { App } from 'electron';

export interface QuitOptions {
  /** Gives up waiting for `close` after this long, so a stuck back end never blocks quitting. */
  timeoutMs?: number;
  log?: (message: string) => void;
}

/**
 * On the first `before-quit`, prevents it, awaits `close()` (the back end stops a running sync and
 * closes the database), then quits for real; later `before-quit`s pass through.
 */
export function closeBeforeQuit(app: Pick<App, 'on' | 'quit'>, close: () => Promise<void>, options: QuitOptions = {}): void {
  const log = options.log ?? ((message: string) => console.error(message));
  const timeoutMs = options.timeoutMs ?? 10_000;
  let state: 'open' | 'closing' | 'closed' = 'open';

  app.on('before-quit', (event) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        log(`[app] back end did not close within ${timeoutMs} ms; quitting anyway`);
        resolve();
      }, timeoutMs);
    });
    Promise.race([close(), timeout])
      .catch((error: unknown) => log(`[app] closing the back end failed: ${String(error)}`))
      .finally(() => {
        clearTimeout(timer);
        state = 'closed';
        app.quit();
      });
  });
}

/** Returns false (and quits) when another instance already runs; otherwise calls `onSecondInstance` when one starts. */
export function takeSingleInstanceLock(app: Pick<App, 'requestSingleInstanceLock' | 'on' | 'quit'>, onSecondInstance: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => onSecondInstance());
  return true;
}
