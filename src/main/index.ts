/**
 * The Electron main process: hosts the window and relays the typed contract to the Electron-free
 * back end (src/service), which runs the sync engine in a worker thread. Composition root only:
 * every piece with logic lives in a small module next to this one.
 */
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session, shell } from 'electron';
import { join } from 'node:path';
import type { Backend } from '../service/backend.ts';
import { openBackend } from '../service/openBackend.ts';
import { defaultDataDir, secretsFileFor } from '../service/paths.ts';
import { FileSecretStore } from '../service/secrets.ts';
import { APP_ORIGIN, APP_START_URL, originOf } from './appOrigin.ts';
import { registerIpc } from './ipc.ts';
import { closeBeforeQuit, takeSingleInstanceLock } from './lifecycle.ts';
import { handleAppProtocol, registerAppScheme } from './protocol.ts';
import { createSafeStorageCipher, tokenStorageWarning } from './safeStorage.ts';
import { denyAllPermissions, hardenWebContents } from './security.ts';
import { createMainWindow, focusWindow } from './window.ts';

/** Same as electron-builder's appId: Windows groups windows and notifications by it. */
export const APP_ID = 'dev.jiramirror.app';

const RENDERER_DIR = join(import.meta.dirname, '../renderer');
const PRELOAD_FILE = join(import.meta.dirname, '../preload/index.cjs');
// Shipped beside out/ (inside app.asar when packaged); located from this file, not app.getAppPath(),
// which depends on how Electron was started (`electron .` vs `electron out/main/index.js`).
const MIGRATIONS_DIR = join(import.meta.dirname, '../../drizzle');
// `electron-vite dev` serves the renderer with HMR; never honoured in a packaged app.
const DEV_SERVER_URL = (!app.isPackaged && process.env.ELECTRON_RENDERER_URL) || undefined;
const TRUSTED_ORIGINS = [APP_ORIGIN, ...(DEV_SERVER_URL ? [originOf(DEV_SERVER_URL) ?? APP_ORIGIN] : [])];

let mainWindow: BrowserWindow | null = null;

function showMainWindow(): void {
  if (mainWindow && !mainWindow.isDestroyed()) {
    focusWindow(mainWindow);
    return;
  }
  mainWindow = createMainWindow({ BrowserWindow, preloadPath: PRELOAD_FILE, url: DEV_SERVER_URL ?? APP_START_URL });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

function warnAboutTokenStorage(): void {
  const warning = tokenStorageWarning(safeStorage);
  if (!warning) return;
  console.warn(`[secrets] ${warning}`);
  // Visible once per run, without blocking start-up.
  app.once('browser-window-created', (_event, window) => {
    window.once('ready-to-show', () => {
      void dialog.showMessageBox(window, {
        type: 'warning',
        title: 'Jira Mirror',
        message: 'API tokens are not encrypted',
        detail: warning,
      });
    });
  });
}

function onReady(): void {
  denyAllPermissions(session.defaultSession);
  handleAppProtocol(protocol, RENDERER_DIR);

  const dbFile = process.env.JIRA_MIRROR_DB || join(app.getPath('userData'), 'jira-mirror.db');
  warnAboutTokenStorage();
  let backend: Backend;
  try {
    backend = openBackend({
      dbFile,
      initiator: 'app',
      engineWorkerUrl: new URL('./engineWorker.js', import.meta.url),
      parseWorkerUrl: new URL('./parseWorker.js', import.meta.url),
      migrationsFolder: MIGRATIONS_DIR,
      secrets: new FileSecretStore(secretsFileFor(dbFile), createSafeStorageCipher(safeStorage)),
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
  closeBeforeQuit(app, () => backend.close());

  showMainWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) showMainWindow();
  });
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
