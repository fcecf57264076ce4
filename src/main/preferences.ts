/**
 * The desktop preferences on disk: electron-store (`preferences.json` in the user-data folder),
 * behind the typed, validating PreferenceStore of src/service/preferences.ts. electron-store
 * rewrites the whole file on every change: preferences only, never sync data.
 */
import ElectronStore from 'electron-store';
import { preferenceStore, type PreferenceStore } from '../service/preferences.ts';

export const PREFERENCES_FILE_NAME = 'preferences';

export function openPreferences(options: { log?: (message: string) => void } = {}): PreferenceStore {
  // A file that is not JSON (a crash mid-write of an older version, a bad hand edit) starts over.
  const storage = new ElectronStore<Record<string, unknown>>({ name: PREFERENCES_FILE_NAME, clearInvalidConfig: true });
  return preferenceStore(storage, options.log ? { log: options.log } : {});
}
