/**
 * The main window: secure webPreferences, hidden until ready to show, fixed title; opens where
 * it was last closed (size, position, maximized), and with close-to-tray on, closing only hides it.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import { DEFAULT_WINDOW_SIZE, MIN_WINDOW_SIZE } from '../desktop/windowState.ts';
import type { WindowState } from '../service/preferences.ts';

export const WINDOW_TITLE = 'Jira Mirror';

export function mainWindowOptions(
  preloadPath: string,
  state: WindowState | null = null,
  backgroundColor = '#ffffff',
): BrowserWindowConstructorOptions {
  return {
    title: WINDOW_TITLE,
    width: state?.width ?? DEFAULT_WINDOW_SIZE.width,
    height: state?.height ?? DEFAULT_WINDOW_SIZE.height,
    ...(state?.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    show: false,
    backgroundColor,
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
  /** Where and how big the window opens (already fitted to the screens). */
  state?: WindowState | null;
  /** Painted before the page loads, so a dark theme does not flash white. */
  backgroundColor?: string;
  /** Asked on every close: true hides the window instead (the app keeps running in the tray). */
  hideOnClose?: () => boolean;
  /** Receives the window's size and position when it closes or hides. */
  saveState?: (state: WindowState) => void;
  log?: (message: string) => void;
}

export function createMainWindow(deps: CreateWindowDeps): BrowserWindow {
  const log = deps.log ?? ((message: string) => console.error(message));
  const window = new deps.BrowserWindow(mainWindowOptions(deps.preloadPath, deps.state ?? null, deps.backgroundColor));
  window.once('ready-to-show', () => {
    if (deps.state?.maximized) window.maximize();
    window.show();
  });
  // The window title is the product name, whatever the page's <title> says.
  window.on('page-title-updated', (event) => event.preventDefault());
  window.on('close', (event) => {
    deps.saveState?.(windowState(window));
    if (deps.hideOnClose?.()) {
      event.preventDefault();
      window.hide();
    }
  });
  window.webContents.on('did-fail-load', (_event, code, description, url) => {
    log(`[window] failed to load ${url}: ${description} (${code})`);
  });
  window.loadURL(deps.url).catch((error: unknown) => log(`[window] loadURL(${deps.url}) failed: ${String(error)}`));
  return window;
}

/** The window's restorable state: its normal (un-maximized) bounds and whether it is maximized. */
export function windowState(window: Pick<BrowserWindow, 'getNormalBounds' | 'isMaximized'>): WindowState {
  const { x, y, width, height } = window.getNormalBounds();
  return { x, y, width, height, maximized: window.isMaximized() };
}

/** Brings a window to the front (second instance, dock click, tray, notification). */
export function focusWindow(window: Pick<BrowserWindow, 'isMinimized' | 'restore' | 'show' | 'focus'>): void {
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
