/**
 * The app's preferences file: the real electron-store (and conf under it) with `electron` mocked
 * to point the user-data folder at a temp directory. Values survive a restart; a broken file
 * starts over instead of stopping the app.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../helpers/tempDb.ts';

const temp = tempDir('jira-mirror-prefs-');
afterAll(temp.cleanup);

vi.mock('electron', () => {
  const app = { getPath: (name: string) => (name === 'userData' ? temp.dir : `/nonexistent/${name}`), getVersion: () => '0.1.0' };
  const ipcMain = { on: () => {} };
  return { default: { app, ipcMain, shell: {} }, app, ipcMain };
});

const { openPreferences, PREFERENCES_FILE_NAME } = await import('../../src/main/preferences.ts');
const file = join(temp.dir, `${PREFERENCES_FILE_NAME}.json`);

describe('preferences in the user-data folder (electron-store)', () => {
  it('persist across restarts in preferences.json', () => {
    const first = openPreferences();
    expect(first.get('closeToTray')).toBe(process.platform !== 'linux');
    first.set('theme', 'dark');
    first.set('window', { x: 100, y: 80, width: 1100, height: 760, maximized: false });
    first.set('schedule', { enabled: true, intervalMinutes: 30, paused: true, nextDueAt: null, lastScheduledRunId: 'r1' });

    const second = openPreferences();
    expect(second.get('theme')).toBe('dark');
    expect(second.get('window')).toEqual({ x: 100, y: 80, width: 1100, height: 760, maximized: false });
    expect(second.get('schedule')).toEqual({ enabled: true, intervalMinutes: 30, paused: true, nextDueAt: null, lastScheduledRunId: 'r1' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ theme: 'dark', schedule: { intervalMinutes: 30 } });
  });

  it('a file that is not JSON starts over with the defaults', () => {
    writeFileSync(file, '{"theme": "dark",');
    const store = openPreferences();
    expect(store.get('theme')).toBe('system');
    store.set('notifyOnFailure', false);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ notifyOnFailure: false });
  });

  it('a value edited into something invalid reads as its default, the others are kept', () => {
    writeFileSync(file, JSON.stringify({ theme: 'light', notifyOnFailure: 'sometimes' }));
    const log = vi.fn();
    const store = openPreferences({ log });
    expect(store.get('theme')).toBe('light');
    expect(store.get('notifyOnFailure')).toBe(true);
    expect(log).toHaveBeenCalledOnce();
  });
});
