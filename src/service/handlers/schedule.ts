/** The sync schedule and the desktop preferences (theme, close-to-tray, notifications). */
import type { Schedule } from '../../shared/model.ts';
import type { Store } from '../../store/db.ts';
import { auditExternalConfig, type Attribution } from '../../store/settings.ts';
import { ApiFailure } from '../apiErrors.ts';
import type { Handlers } from '../backend.ts';
import type { BackendContext } from '../context.ts';
import { appPreferences, type PreferenceKey, type PreferenceStore } from '../preferences.ts';
import type { ScheduleChange, Scheduler } from '../scheduler.ts';

/**
 * Changes the schedule; a change of what the user chose (on or off, the interval) is audited like a
 * setting, so "what changed" before a failure names it. Pausing from the tray is not: it is a hold.
 */
export function changeSchedule(store: Store, scheduler: Scheduler, change: ScheduleChange, by: Attribution): Schedule {
  const chosen = ({ enabled, intervalMinutes }: Schedule) => ({ enabled, intervalMinutes });
  const before = chosen(scheduler.get());
  const next = scheduler.update(change);
  const after = chosen(next);
  if (before.enabled !== after.enabled || before.intervalMinutes !== after.intervalMinutes)
    auditExternalConfig(store, 'schedule', before, after, by);
  return next;
}

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
    setSchedule: async (change) => changeSchedule(ctx.store, requireScheduler(), change, { changedBy: ctx.initiator }),
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
