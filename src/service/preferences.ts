/**
 * The desktop preferences and the schedule's persisted state, behind a small typed interface.
 * The desktop app backs it with electron-store (src/main/preferences.ts), everything else with
 * memory. Every value is validated when read: a hand-edited or older file never crashes the app,
 * a bad value falls back to its default (and is reported once).
 */
import { z } from 'zod';
import { DEFAULT_SCHEDULE_INTERVAL, SCHEDULE_INTERVAL_MAX, SCHEDULE_INTERVAL_MIN, THEMES, type AppPreferences } from '../shared/model.ts';

export interface WindowState {
  /** Absent when the window was never moved: it is centred. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

/** What the scheduler keeps across restarts. */
export interface ScheduleSettings {
  enabled: boolean;
  intervalMinutes: number;
  paused: boolean;
  /** ISO-8601 instant of the next scheduled sync; null while the schedule is not active. */
  nextDueAt: string | null;
  lastScheduledRunId: string | null;
}

export interface Preferences extends AppPreferences {
  window: WindowState | null;
  schedule: ScheduleSettings;
}
export type PreferenceKey = keyof Preferences;

export interface PreferenceStore {
  get<K extends PreferenceKey>(key: K): Preferences[K];
  set<K extends PreferenceKey>(key: K, value: Preferences[K]): void;
}

/** The raw storage under a PreferenceStore: electron-store (and `conf`) or a Map satisfy it. */
export interface KeyValueStorage {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

const finite = z.number().finite();
const schemas: { [K in PreferenceKey]: z.ZodType<Preferences[K]> } = {
  theme: z.enum(THEMES),
  closeToTray: z.boolean(),
  notifyOnFailure: z.boolean(),
  window: z
    .object({
      x: finite.optional(),
      y: finite.optional(),
      width: finite.positive(),
      height: finite.positive(),
      maximized: z.boolean(),
    })
    .nullable(),
  schedule: z.object({
    enabled: z.boolean(),
    intervalMinutes: z.number().int().min(SCHEDULE_INTERVAL_MIN).max(SCHEDULE_INTERVAL_MAX),
    paused: z.boolean(),
    nextDueAt: z.iso.datetime({ offset: true }).nullable(),
    lastScheduledRunId: z.string().nullable(),
  }),
};

/**
 * Closing the window keeps the app in the tray, except on Linux by default: there the tray icon
 * only shows where the desktop supports AppIndicator (vanilla GNOME does not), and an app with
 * neither window nor icon would look gone while it keeps syncing.
 */
export function defaultPreferences(platform: NodeJS.Platform = process.platform): Preferences {
  return {
    theme: 'system',
    closeToTray: platform !== 'linux',
    notifyOnFailure: true,
    window: null,
    // On by default; it only runs once an instance exists.
    schedule: { enabled: true, intervalMinutes: DEFAULT_SCHEDULE_INTERVAL, paused: false, nextDueAt: null, lastScheduledRunId: null },
  };
}

export function preferenceStore(
  storage: KeyValueStorage,
  options: { platform?: NodeJS.Platform; log?: (message: string) => void } = {},
): PreferenceStore {
  const defaults = defaultPreferences(options.platform);
  const log = options.log ?? ((message: string) => console.warn(message));
  const reported = new Set<PreferenceKey>();
  return {
    get(key) {
      const stored = storage.get(key);
      if (stored === undefined) return structuredClone(defaults[key]);
      const parsed = schemas[key].safeParse(stored);
      if (parsed.success) return parsed.data;
      if (!reported.has(key)) {
        reported.add(key);
        log(`[preferences] ignoring the stored "${key}" (${parsed.error.issues[0]?.message ?? 'invalid'}); using the default`);
      }
      return structuredClone(defaults[key]);
    },
    set(key, value) {
      storage.set(key, schemas[key].parse(value));
      reported.delete(key);
    },
  };
}

/** Preferences that last as long as the process: tests, the CLI, the browser preview. */
export function memoryPreferenceStore(initial: Partial<Preferences> = {}, platform?: NodeJS.Platform): PreferenceStore {
  const map = new Map<string, unknown>(Object.entries(initial));
  return preferenceStore({ get: (key) => map.get(key), set: (key, value) => map.set(key, value) }, platform ? { platform } : {});
}

export function appPreferences(store: PreferenceStore): AppPreferences {
  return { theme: store.get('theme'), closeToTray: store.get('closeToTray'), notifyOnFailure: store.get('notifyOnFailure') };
}
