/**
 * What each tray menu item does, on the Backend and the window. Electron-free: the shell passes
 * how to open the window and quit. Failures become a notification, since the tray has no other
 * place to say them.
 */
import type { Backend } from '../service/backend.ts';
import { runRoute } from '../shared/routes.ts';
import { actionFailedNotice, type Notice } from './notifications.ts';
import type { TrayAction, TrayStatus } from './trayMenu.ts';

export interface TrayActionDeps {
  backend: Pick<Backend, 'call' | 'startSync'>;
  status(): TrayStatus;
  /** Shows the main window (creating it if needed), at a route when given. */
  openWindow(route?: string): void;
  quit(): void;
  notify(notice: Notice): void;
}

export async function performTrayAction(action: TrayAction, deps: TrayActionDeps): Promise<void> {
  const { backend } = deps;
  const preferences = deps.status().preferences;
  try {
    switch (action.kind) {
      case 'sync-now':
        await backend.startSync({}, 'tray');
        return;
      case 'stop-sync':
        await backend.call('stopSync', { id: action.runId });
        return;
      case 'pause-schedule':
      case 'resume-schedule':
        await backend.call('setSchedule', { paused: action.kind === 'pause-schedule' });
        return;
      case 'set-interval':
        await backend.call('setSchedule', { enabled: true, paused: false, intervalMinutes: action.minutes });
        return;
      case 'schedule-off':
        await backend.call('setSchedule', { enabled: false });
        return;
      case 'toggle-notifications':
        await backend.call('setPreferences', { notifyOnFailure: !preferences.notifyOnFailure });
        return;
      case 'toggle-close-to-tray':
        await backend.call('setPreferences', { closeToTray: !preferences.closeToTray });
        return;
      case 'open':
        deps.openWindow();
        return;
      case 'open-run':
        deps.openWindow(runRoute(action.runId));
        return;
      case 'quit':
        deps.quit();
        return;
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    deps.notify(actionFailedNotice(action.kind === 'sync-now' ? 'Sync could not start' : 'Jira Mirror could not do that', message));
  }
}
