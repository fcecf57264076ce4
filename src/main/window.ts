/** The main window: secure webPreferences, hidden until ready to show, fixed title. */
import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';

export const WINDOW_TITLE = 'Jira Mirror';

export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    title: WINDOW_TITLE,
    width: 1280,
    height: 820,
    minWidth: 880,
    minHeight: 560,
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      preload: preloadPath,
    },
  };
}

export interface CreateWindowDeps {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindow;
  preloadPath: string;
  /** app://jira-mirror/index.html, or the dev server's URL under `electron-vite dev`. */
  url: string;
  log?: (message: string) => void;
}

export function createMainWindow(deps: CreateWindowDeps): BrowserWindow {
  const log = deps.log ?? ((message: string) => console.error(message));
  const window = new deps.BrowserWindow(mainWindowOptions(deps.preloadPath));
  window.once('ready-to-show', () => window.show());
  // The window title is the product name, whatever the page's <title> says.
  window.on('page-title-updated', (event) => event.preventDefault());
  window.webContents.on('did-fail-load', (_event, code, description, url) => {
    log(`[window] failed to load ${url}: ${description} (${code})`);
  });
  window.loadURL(deps.url).catch((error: unknown) => log(`[window] loadURL(${deps.url}) failed: ${String(error)}`));
  return window;
}

/** Brings a window to the front (second instance, dock click). */
export function focusWindow(window: Pick<BrowserWindow, 'isMinimized' | 'restore' | 'show' | 'focus'>): void {
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
