/**
 * The Electron main process: hosts the window, the tray and notifications, and relays the typed
 * contract to the Electron-free back end (src/service), which runs the sync engine in a worker
 * thread and the schedule. Composition root only: every piece with logic lives in a small module
 * next to this one or in src/desktop.
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  nativeTheme,
  net,
  Notification,
  powerMonitor,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
  Tray,
} from 'electron';
import { join } from 'node:path';
import { restoreWindowState } from '../desktop/windowState.ts';
import type { Backend } from '../service/backend.ts';
import type { PreferenceStore } from '../service/preferences.ts';
import { openBackend } from '../service/openBackend.ts';
import { defaultDataDir, secretsFileFor } from '../service/paths.ts';
import { FileSecretStore } from '../service/secrets.ts';
import { APP_ORIGIN, APP_START_URL, originOf } from './appOrigin.ts';
import { registerIpc } from './ipc.ts';
import { applyTheme, startDesktop, type Desktop } from './desktop.ts';
import { closeBeforeQuit, takeSingleInstanceLock } from './lifecycle.ts';
import { openPreferences } from './preferences.ts';
import { handleAppProtocol, registerAppScheme } from './protocol.ts';
import { createSafeStorageCipher, tokenStoragePrompt, tokenStorageWarning } from './safeStorage.ts';
import { denyAllPermissions, hardenWebContents } from './security.ts';
import { createMainWindow, focusWindow } from './window.ts';

/** Same as electron-builder's appId: Windows groups windows and notifications by it. */
export const APP_ID = 'dev.jiramirror.app';

const RENDERER_DIR = join(import.meta.dirname, '../renderer');
const PRELOAD_FILE = join(import.meta.dirname, '../preload/index.cjs');
// Shipped beside out/ (inside app.asar when packaged); located from this file, not app.getAppPath(),
// which depends on how Electron was started (`electron .` vs `electron out/main/index.js`).
const MIGRATIONS_DIR = join(import.meta.dirname, '../../drizzle');
// Tray and notification icons: resources/icons in the source tree, `icons/` beside app.asar when
// packaged (electron-builder's extraResources: the tray on Linux needs a real file, not an asar path).
const ICONS_DIR = app.isPackaged ? join(process.resourcesPath, 'icons') : join(import.meta.dirname, '../../resources/icons');
const DARK_BACKGROUND = '#0f172a';
// `electron-vite dev` serves the renderer with HMR; never honoured in a packaged app.
const DEV_SERVER_URL = (!app.isPackaged && process.env.ELECTRON_RENDERER_URL) || undefined;
const TRUSTED_ORIGINS = [APP_ORIGIN, ...(DEV_SERVER_URL ? [originOf(DEV_SERVER_URL) ?? APP_ORIGIN] : [])];

let mainWindow: BrowserWindow | null = null;
let preferences: PreferenceStore | null = null;
let desktop: Desktop | null = null;
let quitting = false;

/** Shows the main window (creating it when needed); `route` deep-links into the UI (a run's detail). */
function showMainWindow(route?: string): void {
  const url = (DEV_SERVER_URL ?? APP_START_URL) + (route ?? '');
  if (mainWindow && !mainWindow.isDestroyed()) {
    if (route) mainWindow.loadURL(url).catch((error: unknown) => console.error(`[window] ${url}: ${String(error)}`));
    focusWindow(mainWindow);
    return;
  }
  const store = preferences;
  mainWindow = createMainWindow({
    BrowserWindow,
    preloadPath: PRELOAD_FILE,
    url,
    state: restoreWindowState(
      store?.get('window') ?? null,
      screen.getAllDisplays().map((display) => display.workArea),
    ),
    backgroundColor: nativeTheme.shouldUseDarkColors ? DARK_BACKGROUND : '#ffffff',
    hideOnClose: () => !quitting && desktop !== null && desktop.hasTray() && store?.get('closeToTray') === true,
    saveState: (state) => store?.set('window', state),
  });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

/** Asks before a token is stored where no keyring protects it (Linux `basic_text`, or no encryption at all). */
function tokenStorageConfirmation(): (() => Promise<boolean>) | undefined {
  const prompt = tokenStoragePrompt(safeStorage);
  if (!prompt) return undefined;
  console.warn(`[secrets] ${tokenStorageWarning(safeStorage)}`);
  return async () => {
    const window = mainWindow && !mainWindow.isDestroyed() ? mainWindow : null;
    const { response } = window ? await dialog.showMessageBox(window, prompt) : await dialog.showMessageBox(prompt);
    return response === 0;
  };
}

function onReady(): void {
  denyAllPermissions(session.defaultSession);
  handleAppProtocol(protocol, RENDERER_DIR);

  const dbFile = process.env.JIRA_MIRROR_DB || join(app.getPath('userData'), 'jira-mirror.db');
  preferences = openPreferences();
  applyTheme(nativeTheme, { theme: preferences.get('theme') });
  let backend: Backend;
  try {
    backend = openBackend({
      dbFile,
      initiator: 'app',
      engineWorkerUrl: new URL('./engineWorker.js', import.meta.url),
      pageWorkerUrl: new URL('./pageWorker.js', import.meta.url),
      readWorkerUrl: new URL('./readWorker.js', import.meta.url),
      migrationsFolder: MIGRATIONS_DIR,
      secrets: new FileSecretStore(secretsFileFor(dbFile), createSafeStorageCipher(safeStorage)),
      confirmTokenStorage: tokenStorageConfirmation(),
      preferences,
      schedule: { isOnline: () => net.isOnline() },
      servesMetrics: true,
    });
  } catch (error) {
    throw new Error(`Opening the database ${dbFile} failed:\n\n${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  registerIpc({
    ipcMain,
    backend,
    getEventTargets: () => BrowserWindow.getAllWindows().map((window) => window.webContents),
    trustedOrigins: TRUSTED_ORIGINS,
  });
  app.on('before-quit', () => {
    quitting = true;
  });
  closeBeforeQuit(app, async () => {
    desktop?.stop();
    await backend.close();
  });

  showMainWindow();
  app.on('activate', () => showMainWindow());

  startDesktop({
    electron: { Tray, Menu, nativeImage, Notification, powerMonitor, nativeTheme },
    backend,
    platform: process.platform,
    iconsDir: ICONS_DIR,
    openWindow: showMainWindow,
    isWindowFocused: () => mainWindow !== null && !mainWindow.isDestroyed() && mainWindow.isVisible() && mainWindow.isFocused(),
    quit: () => app.quit(),
  })
    .then((started) => {
      if (quitting) started.stop();
      else desktop = started;
    })
    .catch((error: unknown) => console.error(`[desktop] tray and notifications are unavailable: ${String(error)}`));
}

function start(): void {
  app.setAppUserModelId(APP_ID);
  registerAppScheme(protocol);

  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, { trustedOrigins: TRUSTED_ORIGINS, openExternal: (url) => shell.openExternal(url) });
  });

  app
    .whenReady()
    .then(onReady)
    .catch((error: unknown) => {
      console.error(error);
      dialog.showErrorBox('Jira Mirror could not start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}

// Same folder as the CLI (src/service/paths.ts), so both open one database. Set before the
// single-instance lock, which Chromium keys on the user-data folder.
app.setPath('userData', defaultDataDir());
if (takeSingleInstanceLock(app, () => app.isReady() && showMainWindow())) start();
