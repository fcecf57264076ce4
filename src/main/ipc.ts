/**
 * Relays the typed contract between the renderer and the Electron-free back end.
 *
 * Channels: `jira-mirror:<callName>` for each name in CALL_NAMES (invoke/handle), and
 * `jira-mirror:event` for push events (`send(channel, eventName, payload)`).
 *
 * Sender rule (as VS Code does): a call is served only when `event.senderFrame` still exists, is a
 * main frame (`parent === null`) and its URL's origin is a trusted origin (the app's own
 * `app://jira-mirror`, plus the dev server's under `electron-vite dev`). Anything else gets
 * REFUSED_SENDER — an `UNAVAILABLE` error value, the same shape as every other failure, since
 * Electron would strip a thrown error down to its message — and never reaches the back end.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { CALL_NAMES } from '../shared/contract.ts';
import type { Result } from '../shared/contract.ts';
import type { Backend } from '../service/backend.ts';
import { EVENT_CHANNEL, callChannel } from '../preload/channels.ts';
import { APP_ORIGIN, isTrustedUrl } from './appOrigin.ts';

export const REFUSED_SENDER: Result<never> = Object.freeze({
  ok: false,
  error: Object.freeze({
    code: 'UNAVAILABLE',
    message: 'The Jira Mirror API is only available to the main frame of the Jira Mirror window.',
  }),
}) as Result<never>;

type SenderEvent = Pick<IpcMainInvokeEvent, 'senderFrame'>;

export function isTrustedSender(event: SenderEvent, trustedOrigins: readonly string[] = [APP_ORIGIN]): boolean {
  const frame = event.senderFrame;
  if (!frame) return false; // navigated away or destroyed before the message was handled
  if (frame.parent !== null) return false; // sub-frames never talk to the back end
  return isTrustedUrl(frame.url, trustedOrigins);
}

type EventTarget = Pick<WebContents, 'send' | 'isDestroyed' | 'getURL'>;

export interface IpcDeps {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  backend: Pick<Backend, 'dispatch' | 'subscribe'>;
  /** The webContents that receive push events (normally every BrowserWindow's). */
  getEventTargets: () => EventTarget[];
  trustedOrigins?: readonly string[];
  log?: (message: string) => void;
}

/** Registers one handler per contract call and forwards push events; returns the disposer. */
export function registerIpc(deps: IpcDeps): () => void {
  const trusted = deps.trustedOrigins ?? [APP_ORIGIN];
  const log = deps.log ?? ((message: string) => console.warn(message));

  for (const name of CALL_NAMES) {
    deps.ipcMain.handle(callChannel(name), async (event, input: unknown): Promise<Result<unknown>> => {
      if (!isTrustedSender(event, trusted)) {
        log(`[ipc] refused ${name} from ${event.senderFrame?.url ?? 'a destroyed frame'}`);
        return REFUSED_SENDER;
      }
      try {
        return await deps.backend.dispatch(name, input);
      } catch (error) {
        // dispatch is documented never to throw; keep the renderer's promise a value regardless.
        log(`[ipc] ${name} threw: ${String(error)}`);
        return { ok: false, error: { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) } };
      }
    });
  }

  const unsubscribe = deps.backend.subscribe((event, payload) => {
    for (const target of deps.getEventTargets()) {
      if (target.isDestroyed() || !isTrustedUrl(target.getURL(), trusted)) continue;
      target.send(EVENT_CHANNEL, event, payload);
    }
  });

  return () => {
    unsubscribe();
    for (const name of CALL_NAMES) deps.ipcMain.removeHandler(callChannel(name));
  };
}
