/** The sync schedule and the desktop preferences (theme, close-to-tray, notifications). */
import { ApiFailure } from '../apiErrors.ts';
import type { Handlers } from '../backend.ts';
import type { BackendContext } from '../context.ts';
import { appPreferences, type PreferenceKey, type PreferenceStore } from '../preferences.ts';
import type { Scheduler } from '../scheduler.ts';

export function scheduleHandlers(ctx: BackendContext, scheduler: Scheduler | null, preferences: PreferenceStore) {
  function requireScheduler(): Scheduler {
    if (scheduler) return scheduler;
    throw new ApiFailure(
      'UNAVAILABLE',
      'this host runs no sync schedule (the desktop app and the browser preview do; from the CLI, use cron)',
    );
  }
  return {
    getSchedule: async () => requireScheduler().get(),
    setSchedule: async (change) => requireScheduler().update(change),
    getPreferences: async () => appPreferences(preferences),
    setPreferences: async (change) => {
      for (const [key, value] of Object.entries(change)) {
        if (value !== undefined) preferences.set(key as PreferenceKey & keyof typeof change, value as never);
      }
      const next = appPreferences(preferences);
      ctx.events.emit('preferencesChanged', next);
      return next;
    },
  } satisfies Partial<Handlers>;
}
