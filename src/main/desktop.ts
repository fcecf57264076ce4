/**
 * The desktop citizen around the window: the tray, OS notifications, sleep and wake for the
 * schedule, and the theme. Wires the Electron-free decisions (src/desktop) to Electron's Tray,
 * Notification, powerMonitor and nativeTheme, which are passed in so tests use fakes.
 */
import type {
  Menu,
  MenuItemConstructorOptions,
  NativeImage,
  NativeTheme,
  Notification,
  NotificationConstructorOptions,
  PowerMonitor,
  Tray,
} from 'electron';
import { startDesktopMonitor, type DesktopMonitor } from '../desktop/monitor.ts';
import { performTrayAction } from '../desktop/trayActions.ts';
import type { TrayView } from '../desktop/trayMenu.ts';
import type { Backend } from '../service/backend.ts';
import type { AppPreferences } from '../shared/model.ts';
import { runRoute } from '../shared/routes.ts';
import { createNotifier } from './notifier.ts';
import { followPower } from './power.ts';
import { createTray, type TrayController } from './tray.ts';

export interface DesktopElectron {
  Tray: new (image: NativeImage) => Tray;
  Menu: { buildFromTemplate(template: MenuItemConstructorOptions[]): Menu };
  nativeImage: { createFromPath(path: string): NativeImage };
  Notification: { new (options: NotificationConstructorOptions): Notification; isSupported(): boolean };
  powerMonitor: Pick<PowerMonitor, 'on' | 'removeListener'>;
  nativeTheme: Pick<NativeTheme, 'themeSource'>;
}

export interface DesktopDeps {
  electron: DesktopElectron;
  backend: Pick<Backend, 'call' | 'subscribe' | 'startSync' | 'power'>;
  platform: NodeJS.Platform;
  iconsDir: string;
  /** Shows the main window (creating it if needed), at a route when given. */
  openWindow(route?: string): void;
  isWindowFocused(): boolean;
  quit(): void;
  log?: (message: string) => void;
}

export interface Desktop {
  /** Whether a tray icon exists (close-to-tray never hides the window without one). */
  hasTray(): boolean;
  monitor: DesktopMonitor;
  stop(): void;
}

/**
 * Where the tray controller is reachable from the main process's global scope: Playwright's
 * `_electron` `app.evaluate` runs there, and the smoke test reads what the tray shows through it.
 */
export const TRAY_HANDLE = Symbol.for('jira-mirror.tray');

export function applyTheme(nativeTheme: Pick<NativeTheme, 'themeSource'>, preferences: Pick<AppPreferences, 'theme'>): void {
  nativeTheme.themeSource = preferences.theme;
}

export async function startDesktop(deps: DesktopDeps): Promise<Desktop> {
  const { electron, backend } = deps;
  const log = deps.log ?? ((message: string) => console.warn(message));
  const notifier = createNotifier({
    Notification: electron.Notification,
    platform: deps.platform,
    iconsDir: deps.iconsDir,
    onClick: (notice) => deps.openWindow(notice.runId ? runRoute(notice.runId) : undefined),
    log,
  });
  let tray: TrayController | null = null;
  let trayFailed = false;
  const openTray = (view: TrayView): TrayController | null => {
    try {
      const created = createTray(
        {
          ...electron,
          platform: deps.platform,
          iconsDir: deps.iconsDir,
          onAction: (action) =>
            void performTrayAction(action, {
              backend,
              status: () => monitor.status(),
              openWindow: deps.openWindow,
              quit: deps.quit,
              notify: (notice) => notifier.show(notice),
            }),
          log,
        },
        view,
      );
      (globalThis as Record<symbol, unknown>)[TRAY_HANDLE] = created;
      return created;
    } catch (error) {
      // Some Linux desktops have no tray at all: the app still works from its window.
      trayFailed = true;
      log(`[tray] could not be created: ${String(error)}`);
      return null;
    }
  };
  const monitor: DesktopMonitor = await startDesktopMonitor(backend, {
    showTray(view) {
      if (tray) tray.update(view);
      else if (!trayFailed) tray = openTray(view);
    },
    notify: (notice) => notifier.show(notice),
    isWindowFocused: deps.isWindowFocused,
    log,
  });
  const unsubscribe = backend.subscribe((event, payload) => {
    if (event === 'preferencesChanged') applyTheme(electron.nativeTheme, payload as AppPreferences);
  });
  const stopPower = followPower(electron.powerMonitor, backend.power);
  return {
    hasTray: () => tray !== null,
    monitor,
    stop() {
      monitor.stop();
      unsubscribe();
      stopPower();
      tray?.destroy();
      tray = null;
    },
  };
}
