import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({}));

import { createMainWindow, focusWindow, mainWindowOptions, WINDOW_TITLE } from '../../src/main/window.ts';
import {
  CONTENT_SECURITY_POLICY,
  createAppProtocolHandler,
  handleAppProtocol,
  registerAppScheme,
  resolveAppFile,
} from '../../src/main/protocol.ts';

describe('mainWindowOptions', () => {
  it('has exactly the secure webPreferences and the preload path', () => {
    const options = mainWindowOptions('/app/out/preload/index.cjs');
    expect(options.webPreferences).toEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      preload: '/app/out/preload/index.cjs',
    });
  });

  it('is titled "Jira Mirror", hidden until ready, with a minimum size', () => {
    const options = mainWindowOptions('/p.cjs');
    expect(options.title).toBe('Jira Mirror');
    expect(WINDOW_TITLE).toBe('Jira Mirror');
    expect(options.show).toBe(false);
    expect(options.minWidth).toBeGreaterThan(0);
    expect(options.minHeight).toBeGreaterThan(0);
    expect(options.width).toBeGreaterThanOrEqual(options.minWidth ?? 0);
  });
});

class FakeWindow extends EventEmitter {
  static last: FakeWindow | null = null;
  readonly options: unknown;
  readonly webContents = new EventEmitter();
  show = vi.fn();
  hide = vi.fn();
  maximize = vi.fn();
  getNormalBounds = () => ({ x: 40, y: 30, width: 1111, height: 777 });
  isMaximized = () => true;
  loadURL = vi.fn(async (_url: string) => {});
  constructor(options: unknown) {
    super();
    this.options = options;
    FakeWindow.last = this;
  }
}

describe('createMainWindow', () => {
  it('creates a hidden window, loads the URL and shows it on ready-to-show', () => {
    createMainWindow({ BrowserWindow: FakeWindow as never, preloadPath: '/p.cjs', url: 'app://jira-mirror/index.html' });
    const window = FakeWindow.last!;
    expect(window.options).toEqual(mainWindowOptions('/p.cjs'));
    expect(window.loadURL).toHaveBeenCalledWith('app://jira-mirror/index.html');
    expect(window.show).not.toHaveBeenCalled();
    window.emit('ready-to-show');
    expect(window.show).toHaveBeenCalledOnce();
  });

  it('keeps its title when the page changes <title>', () => {
    createMainWindow({ BrowserWindow: FakeWindow as never, preloadPath: '/p.cjs', url: 'app://jira-mirror/' });
    const event = { preventDefault: vi.fn() };
    FakeWindow.last!.emit('page-title-updated', event, 'Something else');
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('logs a failed load instead of throwing', async () => {
    const log = vi.fn();
    class FailingWindow extends FakeWindow {
      override loadURL = vi.fn(async () => {
        throw new Error('ERR_FILE_NOT_FOUND');
      });
    }
    createMainWindow({ BrowserWindow: FailingWindow as never, preloadPath: '/p.cjs', url: 'app://jira-mirror/', log });
    await vi.waitFor(() => expect(log).toHaveBeenCalledWith(expect.stringContaining('ERR_FILE_NOT_FOUND')));
  });

  it('opens with the saved size, position and maximized state, and the theme’s background', () => {
    createMainWindow({
      BrowserWindow: FakeWindow as never,
      preloadPath: '/p.cjs',
      url: 'app://jira-mirror/',
      state: { x: -1500, y: 20, width: 1000, height: 700, maximized: true },
      backgroundColor: '#0f172a',
    });
    const window = FakeWindow.last!;
    expect(window.options).toMatchObject({ x: -1500, y: 20, width: 1000, height: 700, backgroundColor: '#0f172a', show: false });
    window.emit('ready-to-show');
    expect(window.maximize).toHaveBeenCalledOnce();
    expect(window.show).toHaveBeenCalledOnce();
    // Without a saved position the window is centred: no x/y at all.
    expect(mainWindowOptions('/p.cjs', { width: 1000, height: 700, maximized: false })).not.toHaveProperty('x');
  });

  it('closing saves the window state, and with close-to-tray hides instead of closing', () => {
    const saved: unknown[] = [];
    let hide = true;
    createMainWindow({
      BrowserWindow: FakeWindow as never,
      preloadPath: '/p.cjs',
      url: 'app://jira-mirror/',
      hideOnClose: () => hide,
      saveState: (state) => saved.push(state),
    });
    const window = FakeWindow.last!;
    const first = { preventDefault: vi.fn() };
    window.emit('close', first);
    expect(first.preventDefault).toHaveBeenCalledOnce();
    expect(window.hide).toHaveBeenCalledOnce();
    hide = false; // quitting, or close-to-tray off
    const second = { preventDefault: vi.fn() };
    window.emit('close', second);
    expect(second.preventDefault).not.toHaveBeenCalled();
    expect(window.hide).toHaveBeenCalledOnce();
    expect(saved).toEqual([
      { x: 40, y: 30, width: 1111, height: 777, maximized: true },
      { x: 40, y: 30, width: 1111, height: 777, maximized: true },
    ]);
  });

  it('focusWindow restores a minimised window', () => {
    const window = { isMinimized: () => true, restore: vi.fn(), show: vi.fn(), focus: vi.fn() };
    focusWindow(window);
    expect(window.restore).toHaveBeenCalled();
    expect(window.focus).toHaveBeenCalled();
  });
});

describe('app:// protocol', () => {
  const root = resolve('/srv/app/out/renderer');

  it('registers app as a standard, secure, fetch-capable scheme', () => {
    const protocol = { registerSchemesAsPrivileged: vi.fn() };
    registerAppScheme(protocol);
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  it('handleAppProtocol installs a handler for the app scheme', () => {
    const protocol = { handle: vi.fn() };
    handleAppProtocol(protocol, root);
    expect(protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
  });

  it.each([
    ['app://jira-mirror/', 'index.html'],
    ['app://jira-mirror', 'index.html'],
    ['app://jira-mirror/index.html', 'index.html'],
    ['app://JIRA-MIRROR/index.html', 'index.html'],
    ['app://jira-mirror/assets/index-DrX1.js?v=3#top', join('assets', 'index-DrX1.js')],
    ['app://jira-mirror/assets/my%20font.woff2', join('assets', 'my font.woff2')],
  ])('resolves %s inside the renderer folder', (url, file) => {
    expect(resolveAppFile(root, url)).toBe(join(root, file));
  });

  it.each([
    'app://jira-mirror/../../etc/passwd',
    'app://jira-mirror/assets/../../../etc/passwd',
    'app://jira-mirror/%2e%2e/%2e%2e/etc/passwd',
    'app://jira-mirror/%2E%2E/%2E%2E/etc/passwd',
    'app://jira-mirror/..%2f..%2fetc%2fpasswd',
    'app://jira-mirror/..%2F..%2Fetc%2Fpasswd',
    'app://jira-mirror/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    'app://jira-mirror/%252e%252e/%252e%252e/etc/passwd',
    'app://jira-mirror/..\\..\\etc\\passwd',
    'app://jira-mirror/..%5c..%5cetc%5cpasswd',
    'app://jira-mirror/./index.html',
    'app://jira-mirror/index.html%00.png',
    'app://jira-mirror/%E0%A4%A',
    'app://jira-mirror/C:/Windows/win.ini',
    'app://jira-mirror//etc/passwd/..',
  ])('refuses the traversal attempt %s', (url) => {
    expect(resolveAppFile(root, url)).toBeNull();
  });

  it.each(['app://other-host/index.html', 'file:///etc/passwd', 'https://jira-mirror/index.html', 'app:index.html', 'not a url'])(
    'refuses a URL that is not ours: %s',
    (url) => {
      expect(resolveAppFile(root, url)).toBeNull();
    },
  );

  describe('handler', () => {
    let dir: string;
    let renderer: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'jira-mirror-protocol-'));
      renderer = join(dir, 'renderer');
      mkdirSync(join(renderer, 'assets'), { recursive: true });
      writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Jira Mirror</title>');
      writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)');
      writeFileSync(join(dir, 'secret.txt'), 'top secret');
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const get = (url: string, method = 'GET') => createAppProtocolHandler(renderer)({ url, method } as Request);

    it('serves files with their content type and the CSP header', async () => {
      const response = await get('app://jira-mirror/assets/app.js');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await response.text()).toBe('console.log(1)');
    });

    it('serves index.html for / and for extension-less client routes', async () => {
      for (const url of ['app://jira-mirror/', 'app://jira-mirror/history']) {
        const response = await get(url);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
        expect(await response.text()).toContain('<title>Jira Mirror</title>');
      }
    });

    it('answers 404 for a missing asset, 403 for traversal, 405 for other methods', async () => {
      expect((await get('app://jira-mirror/assets/missing.js')).status).toBe(404);
      const traversal = await get('app://jira-mirror/..%2fsecret.txt');
      expect(traversal.status).toBe(403);
      expect(await traversal.text()).not.toContain('top secret');
      expect((await get('app://jira-mirror/index.html', 'POST')).status).toBe(405);
    });

    it('uses the exact CSP', () => {
      expect(CONTENT_SECURITY_POLICY).toBe(
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
      );
    });
  });
});
