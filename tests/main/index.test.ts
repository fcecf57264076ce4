/**
 * The composition root with Electron and the back end mocked: start-up order, the options the back
 * end is opened with, the window, and the orderly quit.
 */
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CALL_NAMES } from '../../src/shared/contract.ts';
import type { BackendOptions } from '../../src/service/backend.ts';
import type { EventListener } from '../../src/service/events.ts';
import { defaultDataDir } from '../../src/service/paths.ts';
import { appPreferences, memoryPreferenceStore } from '../../src/service/preferences.ts';

const h = vi.hoisted(() => {
  // Built lazily per test (see reset()): vi.hoisted runs before imports.
  return { state: null as unknown as ReturnType<typeof makeState> };
});

function makeState() {
  const calls: string[] = [];
  let ready!: () => void;
  const readyPromise = new Promise<void>((resolve) => (ready = resolve));

  class FakeApp extends EventEmitter {
    isPackaged = false;
    #ready = false;
    paths = new Map<string, string>();
    setPath = vi.fn((name: string, value: string) => {
      calls.push(`setPath:${name}`);
      this.paths.set(name, value);
    });
    getPath = vi.fn((name: string) => this.paths.get(name) ?? `/default/${name}`);
    setAppUserModelId = vi.fn((id: string) => calls.push(`setAppUserModelId:${id}`));
    requestSingleInstanceLock = vi.fn(() => {
      calls.push('requestSingleInstanceLock');
      return true;
    });
    whenReady = vi.fn(() => readyPromise);
    isReady = () => this.#ready;
    markReady = () => {
      this.#ready = true;
      ready();
    };
    quitted = false;
    quit = vi.fn(() => {
      const event = { preventDefault: vi.fn() };
      this.emit('before-quit', event);
      if (!event.preventDefault.mock.calls.length) this.quitted = true;
    });
    exit = vi.fn();
  }
  const app = new FakeApp();

  class FakeBrowserWindow extends EventEmitter {
    static windows: FakeBrowserWindow[] = [];
    static getAllWindows = () => FakeBrowserWindow.windows;
    readonly webContents = Object.assign(new EventEmitter(), {
      send: vi.fn(),
      isDestroyed: () => false,
      getURL: () => 'app://jira-mirror/index.html',
    });
    show = vi.fn();
    hide = vi.fn();
    focus = vi.fn();
    restore = vi.fn();
    maximize = vi.fn();
    isMinimized = () => false;
    isDestroyed = () => false;
    isVisible = () => true;
    isFocused = () => false;
    isMaximized = () => false;
    getNormalBounds = () => ({ x: 50, y: 60, width: 1000, height: 700 });
    loadURL = vi.fn(async (_url: string) => {});
    readonly options: { webPreferences: { preload: string }; x?: number; y?: number; width: number; height: number };
    constructor(options: FakeBrowserWindow['options']) {
      super();
      this.options = options;
      FakeBrowserWindow.windows.push(this);
    }
  }

  const handlers = new Map<string, (...args: unknown[]) => unknown>();
  const trays: FakeTray[] = [];
  class FakeTray extends EventEmitter {
    readonly image: { path: string };
    setImage = vi.fn();
    setToolTip = vi.fn();
    setContextMenu = vi.fn();
    popUpContextMenu = vi.fn();
    destroy = vi.fn();
    constructor(image: { path: string }) {
      super();
      this.image = image;
      trays.push(this);
    }
  }
  const electron = {
    app,
    BrowserWindow: FakeBrowserWindow,
    ipcMain: {
      handle: vi.fn((channel: string, handler: (...args: unknown[]) => unknown) => handlers.set(channel, handler)),
      removeHandler: vi.fn((channel: string) => handlers.delete(channel)),
    },
    protocol: {
      registerSchemesAsPrivileged: vi.fn(() => calls.push('registerSchemesAsPrivileged')),
      handle: vi.fn(),
    },
    session: {
      defaultSession: { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn(), setDevicePermissionHandler: vi.fn() },
    },
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (plain: string) => Buffer.from(`enc:${plain}`),
      decryptString: (buffer: Buffer) => buffer.toString().slice(4),
      getSelectedStorageBackend: () => 'gnome_libsecret',
    },
    shell: { openExternal: vi.fn(async () => {}) },
    dialog: { showErrorBox: vi.fn(), showMessageBox: vi.fn(async () => ({ response: 0 })) },
    Tray: FakeTray,
    Menu: { buildFromTemplate: (template: unknown[]) => ({ template }) },
    nativeImage: {
      createFromPath: (path: string) => ({ path, isEmpty: () => !existsSync(path), setTemplateImage: vi.fn() }),
    },
    Notification: Object.assign(class extends EventEmitter {}, { isSupported: () => true }),
    powerMonitor: new EventEmitter(),
    net: { isOnline: vi.fn(() => true) },
    nativeTheme: { themeSource: 'system', shouldUseDarkColors: false },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  };
  const preferences = memoryPreferenceStore({}, 'linux');

  const listeners = new Set<EventListener>();
  const answers: Record<string, () => unknown> = {
    listRuns: () => ({ rows: [], total: 0 }),
    getActiveSync: () => ({ runId: null }),
    listInstances: () => [],
    getPreferences: () => appPreferences(preferences),
    getSchedule: () => ({
      enabled: true,
      intervalMinutes: 60,
      paused: false,
      state: 'no-instance',
      nextDueAt: null,
      lastScheduledRunId: null,
      lastError: null,
    }),
  };
  const backend = {
    dispatch: vi.fn(async () => ({ ok: true, data: null })),
    call: vi.fn(async (name: string) => answers[name]!()),
    subscribe: vi.fn((listener: EventListener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    }),
    emit: (event: string, payload: unknown) => {
      for (const listener of listeners) listener(event as never, payload as never);
    },
    startSync: vi.fn(),
    power: { suspend: vi.fn(), resume: vi.fn() },
    close: vi.fn(async () => {
      calls.push('backend.close');
    }),
  };
  const openBackend = vi.fn((_options: BackendOptions) => {
    calls.push('openBackend');
    return backend;
  });
  return { calls, app, electron, handlers, backend, openBackend, FakeBrowserWindow, trays, preferences };
}

// The factory's result is cached across vi.resetModules(): delegate to the current test's fakes.
vi.mock('electron', () => {
  const current = () => h.state.electron;
  return {
    get app() {
      return current().app;
    },
    get BrowserWindow() {
      return current().BrowserWindow;
    },
    get ipcMain() {
      return current().ipcMain;
    },
    get protocol() {
      return current().protocol;
    },
    get session() {
      return current().session;
    },
    get safeStorage() {
      return current().safeStorage;
    },
    get shell() {
      return current().shell;
    },
    get dialog() {
      return current().dialog;
    },
    get Tray() {
      return current().Tray;
    },
    get Menu() {
      return current().Menu;
    },
    get nativeImage() {
      return current().nativeImage;
    },
    get Notification() {
      return current().Notification;
    },
    get powerMonitor() {
      return current().powerMonitor;
    },
    get net() {
      return current().net;
    },
    get nativeTheme() {
      return current().nativeTheme;
    },
    get screen() {
      return current().screen;
    },
  };
});
// The electron-store file is tested in preferences.test.ts: here the preferences live in memory.
vi.mock('../../src/main/preferences.ts', () => ({ openPreferences: () => h.state.preferences }));
vi.mock('../../src/service/openBackend.ts', () => ({ openBackend: (options: BackendOptions) => h.state.openBackend(options) }));

const temp = mkdtempSync(join(tmpdir(), 'jira-mirror-main-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

async function boot() {
  h.state = makeState();
  vi.resetModules();
  await import('../../src/main/index.ts');
  return h.state;
}

async function bootReady() {
  const state = await boot();
  state.app.markReady();
  await vi.waitFor(() => expect(state.FakeBrowserWindow.windows.length).toBe(1));
  return state;
}

beforeEach(() => {
  vi.stubEnv('JIRA_MIRROR_DB', join(temp, 'db', 'jira-mirror.db'));
  vi.stubEnv('ELECTRON_RENDERER_URL', undefined);
});
afterEach(() => vi.unstubAllEnvs());

describe('main process start-up', () => {
  it('before ready: user data = the CLI’s data folder (before the single-instance lock), app id, app scheme', async () => {
    const state = await boot();
    expect(state.app.setPath).toHaveBeenCalledWith('userData', defaultDataDir());
    expect(state.calls.indexOf('setPath:userData')).toBeLessThan(state.calls.indexOf('requestSingleInstanceLock'));
    expect(state.app.setAppUserModelId).toHaveBeenCalledWith('dev.jiramirror.app');
    expect(state.electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    expect(state.openBackend).not.toHaveBeenCalled();
  });

  it('on ready: opens the back end with JIRA_MIRROR_DB, initiator app, the bundled worker and an encrypting secret store', async () => {
    const state = await bootReady();
    const options = state.openBackend.mock.calls[0]![0];
    expect(options.dbFile).toBe(join(temp, 'db', 'jira-mirror.db'));
    expect(options.initiator).toBe('app');
    expect(options.engineWorkerUrl?.href).toMatch(/\/engineWorker\.js$/);
    expect(options.pageWorkerUrl?.href).toMatch(/\/pageWorker\.js$/);
    expect(options.readWorkerUrl?.href).toMatch(/\/readWorker\.js$/);
    expect(options.migrationsFolder).toMatch(/drizzle$/);

    mkdirSync(join(temp, 'db'), { recursive: true }); // the real back end creates it
    options.secrets!.set('instance-1', 's3cret');
    const file = join(temp, 'db', 'jira-mirror.db.secrets.json');
    expect(existsSync(file)).toBe(true);
    const stored = readFileSync(file, 'utf8');
    expect(stored).not.toContain('s3cret');
    expect(JSON.parse(stored)).toEqual({ 'instance-1': { encrypted: Buffer.from('enc:s3cret').toString('base64') } });
    expect(options.secrets!.get('instance-1')).toBe('s3cret');
  });

  it('without JIRA_MIRROR_DB the database lives in the user-data folder', async () => {
    vi.stubEnv('JIRA_MIRROR_DB', undefined);
    const state = await bootReady();
    expect(state.openBackend.mock.calls[0]![0].dbFile).toBe(join(defaultDataDir(), 'jira-mirror.db'));
  });

  it('on ready: serves app://, denies permissions, relays every call, opens the window on the app URL', async () => {
    const state = await bootReady();
    expect(state.electron.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    expect(state.electron.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
    expect([...state.handlers.keys()].sort()).toEqual(CALL_NAMES.map((name) => `jira-mirror:${name}`).sort());
    const window = state.FakeBrowserWindow.windows[0]!;
    expect(window.loadURL).toHaveBeenCalledWith('app://jira-mirror/index.html');
    expect(window.options.webPreferences.preload).toMatch(/[/\\]preload[/\\]index\.cjs$/);
  });

  it('loads the electron-vite dev server when ELECTRON_RENDERER_URL is set, and the app URL when it is empty', async () => {
    vi.stubEnv('ELECTRON_RENDERER_URL', 'http://localhost:5173/');
    let state = await bootReady();
    expect(state.FakeBrowserWindow.windows[0]!.loadURL).toHaveBeenCalledWith('http://localhost:5173/');
    const devFrame = { senderFrame: { url: 'http://localhost:5173/', parent: null } };
    await state.handlers.get('jira-mirror:listInstances')!(devFrame, {});
    expect(state.backend.dispatch).toHaveBeenCalledOnce();

    vi.stubEnv('ELECTRON_RENDERER_URL', '');
    state = await bootReady();
    expect(state.FakeBrowserWindow.windows[0]!.loadURL).toHaveBeenCalledWith('app://jira-mirror/index.html');
    await state.handlers.get('jira-mirror:listInstances')!(devFrame, {});
    expect(state.backend.dispatch).not.toHaveBeenCalled();
  });

  it('a second instance focuses the existing window', async () => {
    const state = await bootReady();
    state.app.emit('second-instance', {}, [], '/');
    expect(state.FakeBrowserWindow.windows).toHaveLength(1);
    expect(state.FakeBrowserWindow.windows[0]!.focus).toHaveBeenCalled();
  });

  it('on quit: waits for backend.close(), then quits', async () => {
    const state = await bootReady();
    state.app.quit();
    expect(state.app.quitted).toBe(false);
    await vi.waitFor(() => expect(state.app.quitted).toBe(true));
    expect(state.backend.close).toHaveBeenCalledOnce();
  });

  it('shows an error and exits when the database cannot be opened', async () => {
    h.state = makeState();
    const state = h.state;
    state.openBackend.mockImplementation(() => {
      throw new Error('database is locked');
    });
    vi.resetModules();
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    await import('../../src/main/index.ts');
    state.app.markReady();
    await vi.waitFor(() => expect(state.app.exit).toHaveBeenCalledWith(1));
    expect(state.electron.dialog.showErrorBox).toHaveBeenCalledWith(
      'Jira Mirror could not start',
      expect.stringContaining('database is locked'),
    );
    expect(state.FakeBrowserWindow.windows).toHaveLength(0);
    error.mockRestore();
  });
});

describe('the desktop around the window', () => {
  it('opens the back end with the preferences and a schedule told when the machine is online, sleeps and wakes', async () => {
    const state = await bootReady();
    const options = state.openBackend.mock.calls[0]![0];
    expect(options.preferences).toBe(state.preferences);
    expect(options.schedule?.isOnline?.()).toBe(true);
    expect(state.electron.net.isOnline).toHaveBeenCalledOnce();
    await vi.waitFor(() => expect(state.trays).toHaveLength(1));
    state.electron.powerMonitor.emit('suspend');
    state.electron.powerMonitor.emit('resume');
    expect(state.backend.power.suspend).toHaveBeenCalledOnce();
    expect(state.backend.power.resume).toHaveBeenCalledOnce();
  });

  it('shows a tray icon from resources/icons with the state in its tooltip', async () => {
    const state = await bootReady();
    await vi.waitFor(() => expect(state.trays).toHaveLength(1));
    const tray = state.trays[0]!;
    expect(tray.image.path).toMatch(/resources[/\\]icons[/\\]tray[/\\](linux|mac|win)[/\\]idle(Template)?\.(png|ico)$/);
    expect(existsSync(tray.image.path)).toBe(true);
    expect(tray.setToolTip).toHaveBeenCalledWith('Jira Mirror\nNo Jira instance yet\nSchedule starts once an instance is added');
  });

  it('with close-to-tray, closing the window hides it; quitting closes it for real', async () => {
    const state = await bootReady();
    await vi.waitFor(() => expect(state.trays).toHaveLength(1));
    state.preferences.set('closeToTray', true);
    const window = state.FakeBrowserWindow.windows[0]!;
    const close = { preventDefault: vi.fn() };
    window.emit('close', close);
    expect(close.preventDefault).toHaveBeenCalledOnce();
    expect(window.hide).toHaveBeenCalledOnce();
    expect(state.preferences.get('window')).toEqual({ x: 50, y: 60, width: 1000, height: 700, maximized: false });

    // A second launch (or the tray's Open) shows the hidden window again.
    state.app.emit('second-instance', {}, [], '/');
    expect(window.show).toHaveBeenCalled();

    state.app.quit();
    const closeWhileQuitting = { preventDefault: vi.fn() };
    window.emit('close', closeWhileQuitting);
    expect(closeWhileQuitting.preventDefault).not.toHaveBeenCalled();
  });

  it('reopens the window where it was closed, in the theme chosen, and follows theme changes', async () => {
    h.state = makeState();
    h.state.preferences.set('window', { x: 300, y: 200, width: 1100, height: 750, maximized: false });
    h.state.preferences.set('theme', 'dark');
    const state = h.state;
    vi.resetModules();
    await import('../../src/main/index.ts');
    state.app.markReady();
    await vi.waitFor(() => expect(state.FakeBrowserWindow.windows).toHaveLength(1));
    expect(state.FakeBrowserWindow.windows[0]!.options).toMatchObject({ x: 300, y: 200, width: 1100, height: 750 });
    expect(state.electron.nativeTheme.themeSource).toBe('dark');
    await vi.waitFor(() => expect(state.trays).toHaveLength(1));
    state.backend.emit('preferencesChanged', { theme: 'light', closeToTray: false, notifyOnFailure: true });
    expect(state.electron.nativeTheme.themeSource).toBe('light');
  });

  it('asks before storing a token when tokens cannot be encrypted, and stores nothing on Cancel', async () => {
    h.state = makeState();
    const state = h.state;
    state.electron.safeStorage.isEncryptionAvailable = () => false;
    vi.resetModules();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await import('../../src/main/index.ts');
    state.app.markReady();
    await vi.waitFor(() => expect(state.FakeBrowserWindow.windows).toHaveLength(1));
    const confirm = state.openBackend.mock.calls[0]![0].confirmTokenStorage!;
    state.electron.dialog.showMessageBox.mockResolvedValueOnce({ response: 1 });
    expect(await confirm()).toBe(false);
    state.electron.dialog.showMessageBox.mockResolvedValueOnce({ response: 0 });
    expect(await confirm()).toBe(true);
    expect(state.electron.dialog.showMessageBox).toHaveBeenCalledWith(
      state.FakeBrowserWindow.windows[0],
      expect.objectContaining({ message: 'Store this API token without a keyring?', buttons: ['Store anyway', 'Cancel'] }),
    );
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^\[secrets\] Jira Mirror cannot encrypt stored API tokens/));
    warn.mockRestore();
  });

  it('asks nothing where the OS keychain encrypts tokens', async () => {
    const state = await bootReady();
    expect(state.openBackend.mock.calls[0]![0].confirmTokenStorage).toBeUndefined();
  });
});
