/**
 * Launches the real, unpackaged app (out/main/index.js) with Playwright's _electron where an
 * Electron binary exists; elsewhere the suite is skipped and the reason printed. Each run gets its
 * own database and user-data folder. Checks the window, the history after a demo sync, the tray
 * (read through the handle src/main/desktop.ts leaves in the main process) and navigation blocking.
 *
 * Binary detection never calls require('electron') blindly: when node_modules/electron has no
 * binary, that require *downloads* it (and throws "Electron failed to install correctly" when the
 * download fails). So the binary is located from path.txt first, and require('electron') only
 * confirms a binary that is already there.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CALL_NAMES, EVENT_NAMES } from '../../src/shared/contract.ts';

const root = resolve(import.meta.dirname, '../..');

function findElectronBinary(): { path: string } | { reason: string } {
  const require = createRequire(import.meta.url);
  let packageDir: string;
  try {
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron npm package is not installed' };
  }
  if (!process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const pathFile = join(packageDir, 'path.txt');
    if (!existsSync(pathFile)) {
      return {
        reason: `${pathFile} is missing: the binary download failed at install time (require('electron') would throw "Electron failed to install correctly")`,
      };
    }
    const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8'));
    if (!existsSync(binary)) return { reason: `${binary} does not exist` };
  }
  try {
    const binary = require('electron') as unknown;
    if (typeof binary === 'string' && existsSync(binary)) return { path: binary };
    return { reason: `require('electron') returned ${String(binary)}, which does not exist` };
  } catch (error) {
    return { reason: `require('electron') threw: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function findSkipReason(): { binary: string } | { reason: string } {
  const found = findElectronBinary();
  if ('reason' in found) return { reason: `Electron binary not installed (${found.reason})` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'no display (DISPLAY/WAYLAND_DISPLAY unset): run under xvfb-run' };
  }
  return { binary: found.path };
}

const target = findSkipReason();
const binaryAvailable = 'binary' in target;
if (!binaryAvailable) console.warn(`skipped: ${target.reason}`);

describe.skipIf(!binaryAvailable)('Electron app smoke test', () => {
  let app: ElectronApplication;
  let page: Page;
  const temp = mkdtempSync(join(tmpdir(), 'jira-mirror-e2e-'));

  beforeAll(async () => {
    if (!existsSync(join(root, 'out/main/index.js')) || !existsSync(join(root, 'out/renderer/index.html'))) {
      execFileSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
        cwd: root,
        stdio: 'inherit',
      });
    }
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env))
      if (value !== undefined && key !== 'ELECTRON_RENDERER_URL' && key !== 'ELECTRON_RUN_AS_NODE') env[key] = value;
    app = await electron.launch({
      executablePath: (target as { binary: string }).binary,
      // Chromium refuses to run its sandbox as root (CI containers); the page stays `sandbox: true`.
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), 'out/main/index.js'],
      cwd: root,
      env: {
        ...env,
        JIRA_MIRROR_DB: join(temp, 'db', 'jira-mirror.db'),
        // The user-data folder follows the CLI's rule (src/service/paths.ts): point it at the temp folder too.
        XDG_CONFIG_HOME: join(temp, 'config'),
        HOME: join(temp, 'home'),
        APPDATA: join(temp, 'appdata'),
      },
      timeout: 60_000,
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  afterAll(async () => {
    await app?.close();
    rmSync(temp, { recursive: true, force: true });
  });

  it('opens one window titled "Jira Mirror" on app://jira-mirror/', async () => {
    const windows = await app.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows().map((window) => ({ title: window.getTitle(), visible: window.isVisible() })),
    );
    expect(windows).toEqual([{ title: 'Jira Mirror', visible: true }]);
    expect(page.url()).toMatch(/^app:\/\/jira-mirror\//);
  });

  it('shows the first-run screen on an empty database', async () => {
    const firstRun = page.locator('[data-testid="first-run"]');
    await firstRun.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await firstRun.isVisible()).toBe(true);
  });

  it('exposes exactly the contract as window.jiraMirror, and no Node', async () => {
    const exposed = await page.evaluate(() => {
      const api = (window as unknown as { jiraMirror?: Record<string, unknown> }).jiraMirror ?? {};
      return Object.fromEntries(Object.entries(api).map(([key, value]) => [key, typeof value]));
    });
    expect(Object.keys(exposed).sort()).toEqual([...CALL_NAMES, 'on'].sort());
    expect(new Set(Object.values(exposed))).toEqual(new Set(['function']));
    const globals = await page.evaluate(() => {
      const scope = globalThis as Record<string, unknown>;
      return { require: typeof scope.require, process: typeof scope.process, module: typeof scope.module, Buffer: typeof scope.Buffer };
    });
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', module: 'undefined', Buffer: 'undefined' });
  });

  it('answers a contract call through the preload and rejects unknown events', async () => {
    const result = await page.evaluate(async () => {
      const api = (
        window as unknown as {
          jiraMirror: { listInstances(input: object): Promise<unknown>; on(event: string, listener: () => void): () => void };
        }
      ).jiraMirror;
      let unknownEvent = '';
      try {
        api.on('nope', () => {});
      } catch (error) {
        unknownEvent = String(error);
      }
      return { instances: await api.listInstances({}), unknownEvent };
    });
    expect(result.instances).toEqual({ ok: true, data: [] });
    expect(result.unknownEvent).toContain('unknown event');
    expect(result.unknownEvent).toContain(EVENT_NAMES[0]);
  });

  /** What the tray shows, read in the main process. */
  const trayView = () =>
    app.evaluate(() => {
      const handle = (globalThis as Record<symbol, unknown>)[Symbol.for('jira-mirror.tray')] as
        { isDestroyed(): boolean; view(): { icon: string; tooltip: string; menu: Array<{ label?: string }> } } | undefined;
      if (!handle) return null;
      const view = handle.view();
      return {
        destroyed: handle.isDestroyed(),
        icon: view.icon,
        tooltip: view.tooltip,
        labels: view.menu.map((item) => item.label ?? '-'),
      };
    });

  it('has a tray icon whose tooltip and menu say the state', async () => {
    await vi.waitFor(async () => expect(await trayView()).not.toBeNull(), { timeout: 15_000 });
    const tray = (await trayView())!;
    expect(tray.destroyed).toBe(false);
    expect(tray.icon).toBe('idle');
    expect(tray.tooltip).toBe('Jira Mirror\nNo Jira instance yet\nSchedule starts once an instance is added');
    expect(tray.labels).toEqual(expect.arrayContaining(['Sync now', 'Sync automatically', 'Open Jira Mirror', 'Quit Jira Mirror']));
  });

  it('renders the history after the demo sync, and the tray tells the result', async () => {
    await page.locator('[data-testid="try-demo"]').click();
    await page.locator('[data-testid="history-table"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="history-row"][data-status="completed"]').first().waitFor({ timeout: 90_000 });
    expect(await page.locator('[data-testid="history-row"]').count()).toBe(1);
    await vi.waitFor(
      async () => expect((await trayView())?.tooltip).toMatch(/^Jira Mirror\nLast sync completed just now, [\d,]+ issues\nNext sync at /),
      {
        timeout: 15_000,
      },
    );
  });

  it('blocks navigation away from the app and window.open', async () => {
    // http:, not https: — an https URL would be handed to the system browser.
    await page.evaluate(() => {
      window.open('http://example.com/');
      window.location.href = 'http://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toMatch(/^app:\/\/jira-mirror\//);
    expect(app.windows()).toHaveLength(1);
  });
});
