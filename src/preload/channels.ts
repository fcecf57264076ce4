/**
 * The IPC wire names, shared by the main process (src/main/ipc.ts) and the preload. Electron-free
 * and dependency-free so both bundles can import it.
 */
import type { CallName } from '../shared/contract.ts';

/** Every call travels on its own channel: `jira-mirror:<callName>` (ipcRenderer.invoke / ipcMain.handle). */
export const CALL_CHANNEL_PREFIX = 'jira-mirror:';

/** Push events travel on one channel: `webContents.send('jira-mirror:event', eventName, payload)`. */
export const EVENT_CHANNEL = 'jira-mirror:event';

export function callChannel(name: CallName): string {
  return CALL_CHANNEL_PREFIX + name;
}
