/** Preferences behind their typed interface: defaults, validation on read and write. */
import { describe, expect, it, vi } from 'vitest';
import { appPreferences, defaultPreferences, memoryPreferenceStore, preferenceStore } from '../../src/service/preferences.ts';

describe('preferences', () => {
  it('default to the system theme, notifications on, an hourly schedule, and close-to-tray except on Linux', () => {
    const store = memoryPreferenceStore({}, 'win32');
    expect(appPreferences(store)).toEqual({ theme: 'system', closeToTray: true, notifyOnFailure: true });
    expect(store.get('window')).toBeNull();
    expect(store.get('schedule')).toEqual({ enabled: true, intervalMinutes: 60, paused: false, nextDueAt: null, lastScheduledRunId: null });
    expect(defaultPreferences('darwin').closeToTray).toBe(true);
    expect(defaultPreferences('linux').closeToTray).toBe(false);
  });

  it('keeps what is set', () => {
    const store = memoryPreferenceStore({}, 'linux');
    store.set('theme', 'dark');
    store.set('window', { x: -1200, y: 40, width: 1000, height: 700, maximized: true });
    expect(store.get('theme')).toBe('dark');
    expect(store.get('window')).toEqual({ x: -1200, y: 40, width: 1000, height: 700, maximized: true });
  });

  it('a stored value that is not valid (a hand edit, an older version) reads as the default, reported once', () => {
    const raw = new Map<string, unknown>([
      ['theme', 'purple'],
      ['closeToTray', 'yes'],
      ['schedule', { enabled: true, intervalMinutes: 1, paused: false, nextDueAt: 'tomorrow', lastScheduledRunId: null }],
      ['notifyOnFailure', false],
    ]);
    const log = vi.fn();
    const store = preferenceStore({ get: (key) => raw.get(key), set: (key, value) => raw.set(key, value) }, { platform: 'darwin', log });
    expect(store.get('theme')).toBe('system');
    expect(store.get('theme')).toBe('system');
    expect(store.get('closeToTray')).toBe(true);
    expect(store.get('schedule')).toEqual(defaultPreferences().schedule);
    expect(store.get('notifyOnFailure')).toBe(false); // valid values are kept
    expect(log.mock.calls.map(([line]) => line)).toEqual([
      '[preferences] ignoring the stored "theme" (Invalid option: expected one of "system"|"light"|"dark"); using the default',
      '[preferences] ignoring the stored "closeToTray" (Invalid input: expected boolean, received string); using the default',
      '[preferences] ignoring the stored "schedule" (Too small: expected number to be >=5); using the default',
    ]);
  });

  it('refuses to write an invalid value, and a default read is a copy (changing it changes nothing stored)', () => {
    const store = memoryPreferenceStore({}, 'linux');
    expect(() => store.set('schedule', { ...store.get('schedule'), intervalMinutes: 0 })).toThrow(/>=5/);
    store.get('schedule').paused = true;
    expect(store.get('schedule').paused).toBe(false);
  });
});
