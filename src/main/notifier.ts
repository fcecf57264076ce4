/**
 * Raises the OS notifications decided in src/desktop/notifications.ts. One at a time: a new one
 * (a different failure, the recovery) closes the previous. Each Notification is referenced until
 * it is clicked or closed, or garbage collection would silently drop its click handler.
 */
import type { Notification, NotificationConstructorOptions } from 'electron';
import { notificationIconFile } from '../desktop/icons.ts';
import type { Notice } from '../desktop/notifications.ts';

export interface NotifierDeps {
  Notification: { new (options: NotificationConstructorOptions): Notification; isSupported(): boolean };
  platform: NodeJS.Platform;
  iconsDir: string;
  /** A click on a notice: open the window at the notice's run. */
  onClick(notice: Notice): void;
  log?: (message: string) => void;
}

export interface Notifier {
  show(notice: Notice): void;
}

export function createNotifier(deps: NotifierDeps): Notifier {
  const log = deps.log ?? ((message: string) => console.warn(message));
  const alive = new Set<Notification>();
  let current: Notification | null = null;

  return {
    show(notice) {
      if (!deps.Notification.isSupported()) {
        log(`[notifications] not supported here: ${notice.title} — ${notice.body}`);
        return;
      }
      current?.close();
      const icon = notificationIconFile(deps.iconsDir, deps.platform, notice.kind);
      const notification = new deps.Notification({
        title: notice.title,
        body: notice.body,
        ...(icon ? { icon } : {}),
        urgency: notice.kind === 'recovery' || notice.kind === 'anomaly-resolved' ? 'low' : 'normal',
      });
      const release = () => {
        alive.delete(notification);
        if (current === notification) current = null;
      };
      notification.on('click', () => {
        release();
        deps.onClick(notice);
      });
      notification.on('close', release);
      notification.on('failed', (_event, error) => {
        release();
        log(`[notifications] could not be shown: ${error}`);
      });
      alive.add(notification);
      current = notification;
      notification.show();
    },
  };
}
