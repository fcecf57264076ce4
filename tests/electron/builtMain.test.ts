/**
 * The BUILT app (out/, from `npm run build`) without the Electron binary: out/main/index.js runs
 * under plain Node with `electron` replaced by fixtures/fakeElectron.ts, which checks what only the
 * bundle can get wrong — import.meta paths to the preload, renderer, migrations, engine and read workers,
 * the real back end behind the IPC handlers, a demo sync in the bundled worker, the tray and a
 * failure notification after a failing sync (a click on it opens the run), the recovery after a
 * Sync now from the tray's menu, the schedule, an orderly quit — and the preload bundle is checked
 * to be one self-contained CommonJS file.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CALL_NAMES } from '../../src/shared/contract.ts';
import { CONTENT_SECURITY_POLICY } from '../../src/main/protocol.ts';

const root = resolve(import.meta.dirname, '../..');
const mainFile = join(root, 'out/main/index.js');
const preloadFile = join(root, 'out/preload/index.cjs');
const built = [mainFile, join(root, 'out/main/engineWorker.js'), preloadFile, join(root, 'out/renderer/index.html')].every((file) =>
  existsSync(file),
);
if (!built) console.warn('skipped: the app is not built (no out/main, out/preload, out/renderer): run `npm run build` first');

describe.skipIf(!built)('built main process (Node, electron faked)', () => {
  const temp = mkdtempSync(join(tmpdir(), 'jira-mirror-built-'));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it('starts, serves the renderer, relays the contract, syncs the demo in the worker, shows the tray and notifications, and quits', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [join(import.meta.dirname, 'fixtures/driveBuiltMain.ts'), mainFile], {
      cwd: root,
      env: {
        ...process.env,
        JIRA_MIRROR_DB: join(temp, 'db', 'jira-mirror.db'),
        XDG_CONFIG_HOME: join(temp, 'config'),
        HOME: join(temp, 'home'),
        APPDATA: join(temp, 'appdata'),
        ELECTRON_RENDERER_URL: '',
      },
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    const report = JSON.parse(stdout);

    expect(report.exitCode, report.errors?.join('\n')).toBeNull();
    expect(report.appUserModelId).toBe('dev.jiramirror.app');
    expect(report.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(report.permissionHandlers).toBe(3);

    expect(report.windowUrl).toBe('app://jira-mirror/index.html');
    expect(report.windowTitle).toBe('Jira Mirror');
    expect(report.windowShown).toBe(true);
    expect(report.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(report.preloadExists).toBe(true);
    expect(report.windowOpenHandlerSet).toBe(true);

    expect(report.page).toEqual({ status: 200, csp: CONTENT_SECURITY_POLICY, hasRoot: true });
    expect(report.script).toEqual({ status: 200, type: 'text/javascript; charset=utf-8' });
    expect(report.traversalStatus).toBe(403);

    expect(report.channels).toEqual(CALL_NAMES.map((name) => `jira-mirror:${name}`).sort());
    expect(report.refused).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(report.invalid).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(report.demo).toMatchObject({ ok: true, data: { isDemo: true } });
    expect(report.instances.data).toHaveLength(1);
    expect(report.started).toMatchObject({ ok: true, data: { runId: expect.any(String) } });
    // The bundled engine worker ran the demo sync to a final status. Whether the sync itself succeeds
    // is the engine's tests' business; here only a worker that cannot load or run would fail.
    expect(report.finalRun).toMatchObject({ id: report.started.data.runId, initiatedBy: 'app' });
    expect(['completed', 'partial', 'failed']).toContain(report.finalRun.status);
    expect(report.finalRun.totalProjects).toBeGreaterThan(0);
    expect(String(report.finalRun.errorMessage ?? '')).not.toMatch(/Cannot find|ERR_MODULE_NOT_FOUND|ERR_UNKNOWN_FILE_EXTENSION|worker/i);
    expect(report.history).toEqual({ total: 1 });
    // The bundled read thread answers the issue browser: every issue the first sync wrote.
    expect(report.search).toEqual({ total: report.finalRun.totalIssues });

    // The schedule runs in the app (hourly by default) and is persisted in preferences.json.
    expect(report.schedule).toMatchObject({ ok: true, data: { enabled: true, state: 'scheduled', nextDueAt: expect.any(String) } });
    const dueInMs = Date.parse(report.schedule.data.nextDueAt) - Date.parse(report.finalRun.startedAt);
    expect(dueInMs).toBeGreaterThan(55 * 60_000);
    expect(dueInMs).toBeLessThanOrEqual(60 * 60_000);
    expect(report.preferencesFile).toBe(true);

    // A failing sync: the tray shows it, one notification says what failed, a click opens the run.
    expect(report.broken).toBe(true);
    expect(report.failedRun).toMatchObject({ status: 'failed', errorCategory: 'Authentication' });
    expect(report.trays).toBe(1);
    expect(report.trayAfterFailure.icon).toMatch(/resources[/\\]icons[/\\]tray[/\\]linux[/\\]failed\.png$/);
    expect(report.trayAfterFailure.tooltip).toMatch(/^Jira Mirror\nLast sync failed just now \(Authentication\)\nNext sync at /);
    expect(report.trayAfterFailure.firstItem).toBe('Last sync failed just now (Authentication)');
    expect(report.notifications[0]).toEqual({
      title: 'Sync failed: acme',
      body: 'Authentication: Jira rejected the credentials.\nacme: HTTP 401 from /rest/api/3/myself: Client must be authenticated to access this resource.',
      icon: expect.stringMatching(/resources[/\\]icons[/\\]notification[/\\]failure\.png$/),
      urgency: 'normal',
    });
    expect(report.urlAfterClick).toBe(`app://jira-mirror/index.html#/runs/${report.failedRun.id}`);

    // Sync now from the tray's menu: recorded as the tray's, and the recovery is told.
    expect(report.trayRun).toMatchObject({ initiatedBy: 'tray', status: 'completed' });
    expect(report.notifications[1]).toMatchObject({
      title: 'Sync recovered: demo (DEMO, OPS, WEB)',
      body: expect.stringMatching(/^Completed after 1 failed sync; \d+ issues? synced\.$/),
    });
    expect(report.notifications).toHaveLength(2);
    expect(report.trayAfterRecovery).toMatchObject({ icon: expect.stringMatching(/idle\.png$/), destroyed: true });
    expect(report.trayAfterRecovery.menusSet).toBeGreaterThan(3);
    expect(report.trayHandleTooltip).toMatch(/^Jira Mirror\nLast sync completed just now, [\d,]+ issues?\n/);
    expect(report.eventChannels).toEqual(
      expect.arrayContaining(['jira-mirror:event:instancesChanged', 'jira-mirror:event:runUpdated', 'jira-mirror:event:syncProgress']),
    );
    expect(report.quitted).toBe(true);
    expect(report.errors).toEqual([]);
    expect(existsSync(join(temp, 'db', 'jira-mirror.db'))).toBe(true);
  });

  it('the preload is one CommonJS file whose only require is electron', () => {
    const source = readFileSync(preloadFile, 'utf8');
    const requires = [...source.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1]);
    expect([...new Set(requires)]).toEqual(['electron']);
    expect(source).not.toMatch(/^\s*(import|export)\s/m);
    expect(source).toContain('exposeInMainWorld');
  });

  it('the main bundle uses import.meta, never a declared __dirname', () => {
    const source = readFileSync(mainFile, 'utf8');
    expect(source).toContain('import.meta.dirname');
    expect(source).not.toMatch(/\b(const|let|var)\s+__dirname\b/);
  });
});
