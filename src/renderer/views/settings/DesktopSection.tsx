/** Settings → Desktop & schedule: the sync schedule (interval, on/off, pause, next due time) and the desktop preferences. */
import { useState, type FormEvent } from 'react';
import type { AppPreferences, Schedule } from '../../../shared/model.ts';
import { SCHEDULE_INTERVAL_MAX, SCHEDULE_INTERVAL_MIN, THEMES } from '../../../shared/model.ts';
import { isDesktopHost } from '../../api/client.ts';
import { ApiCallError, errorMessage } from '../../api/errors.ts';
import { useAction } from '../../api/useAction.ts';
import { callApi, useCall } from '../../api/useCall.ts';
import { ErrorAlert, LoadError } from '../../components/States.tsx';
import { Spinner } from '../../components/StatusBadge.tsx';
import { useNow } from '../../lib/hooks.ts';
import { parseInterval, scheduleText } from '../../lib/schedule.ts';

export function DesktopSection({ onSaved }: { onSaved: (notice: string) => void }) {
  const schedule = useCall('getSchedule', {}, { refreshOn: ['scheduleChanged'], throttleMs: 200 });
  const preferences = useCall('getPreferences', {}, { refreshOn: ['preferencesChanged'], throttleMs: 200 });
  return (
    <div className="settings-grid">
      {schedule.data ? (
        <ScheduleForm
          key={`${schedule.data.enabled}:${schedule.data.intervalMinutes}`}
          schedule={schedule.data}
          onSaved={(next) => {
            onSaved(next.enabled ? 'Saved the schedule.' : 'The schedule is off.');
            schedule.reload();
          }}
        />
      ) : schedule.error ? (
        <LoadError what="the schedule" message={schedule.error} onRetry={schedule.reload} />
      ) : (
        <Spinner label="Loading the schedule" />
      )}
      {preferences.data ? (
        <PreferencesForm preferences={preferences.data} onChanged={preferences.reload} />
      ) : preferences.error ? (
        <LoadError what="the preferences" message={preferences.error} onRetry={preferences.reload} />
      ) : (
        <Spinner label="Loading the preferences" />
      )}
    </div>
  );
}

function ScheduleForm({ schedule, onSaved }: { schedule: Schedule; onSaved: (schedule: Schedule) => void }) {
  const now = useNow(true, 30_000);
  const [enabled, setEnabled] = useState(schedule.enabled);
  const [interval, setIntervalText] = useState(String(schedule.intervalMinutes));
  const [error, setError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const minutes = parseInterval(interval);
  const dirty = enabled !== schedule.enabled || minutes !== schedule.intervalMinutes;
  const text = scheduleText(schedule, now);

  async function change(update: { enabled?: boolean; intervalMinutes?: number; paused?: boolean }): Promise<Schedule | null> {
    setBusy(true);
    setFormError(null);
    try {
      const next = await callApi('setSchedule', update);
      setError(null);
      return next;
    } catch (e) {
      if (e instanceof ApiCallError && e.fields.intervalMinutes) setError(e.fields.intervalMinutes);
      else setFormError(errorMessage(e));
      return null;
    } finally {
      setBusy(false);
    }
  }

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (minutes === null) return;
    const next = await change({ enabled, intervalMinutes: minutes });
    if (next) onSaved(next);
  }

  return (
    <form
      className="card card-padded settings-fields"
      aria-labelledby="schedule-title"
      noValidate
      onSubmit={(e) => void save(e)}
      data-testid="schedule-form"
    >
      <h2 id="schedule-title">Sync schedule</h2>
      <dl className="facts">
        <dt>Next sync</dt>
        <dd data-testid="schedule-next" data-state={schedule.state}>
          <strong>{text.headline}</strong>
          {text.detail && <span className="sub"> · {text.detail}</span>}
        </dd>
        {schedule.lastScheduledRunId && (
          <>
            <dt>Last scheduled</dt>
            <dd>
              <a href={`#/runs/${schedule.lastScheduledRunId}`}>the run it started</a>
            </dd>
          </>
        )}
      </dl>
      {schedule.lastError && (
        <div className="alert alert-warning" role="alert" data-testid="schedule-last-error">
          The last scheduled sync could not start: {schedule.lastError}
        </div>
      )}
      <div className="setting">
        <label className="setting-switch">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} data-testid="schedule-enabled" />
          Sync automatically
        </label>
        <p className="hint">
          Every instance is synced on this schedule (recorded as “scheduled”); a sync already running is never doubled.
        </p>
      </div>
      <div className={`setting${error || minutes === null ? ' setting-invalid' : ''}`}>
        <label htmlFor="schedule-interval">Every</label>
        <div className="setting-inputs">
          <input
            id="schedule-interval"
            type="text"
            inputMode="numeric"
            className="setting-number"
            value={interval}
            onChange={(e) => {
              setIntervalText(e.target.value);
              setError(null);
            }}
            aria-invalid={error || minutes === null ? true : undefined}
            aria-describedby="schedule-interval-hint"
            data-testid="schedule-interval"
          />
          <span className="unit">minutes</span>
        </div>
        <p className="hint" id="schedule-interval-hint">
          From {SCHEDULE_INTERVAL_MIN} minutes to {SCHEDULE_INTERVAL_MAX} (one day). A new interval counts from now.
        </p>
        {(error || minutes === null) && (
          <p className="field-error" role="alert" data-testid="schedule-interval-error">
            {error ?? 'Enter a number of minutes.'}
          </p>
        )}
      </div>
      <ErrorAlert message={formError} />
      <div className="form-actions form-actions-left">
        <button type="submit" className="btn btn-primary" disabled={busy || !dirty || minutes === null} data-testid="save-schedule">
          {busy && <Spinner />} Save schedule
        </button>
        {schedule.enabled && (
          <button
            type="button"
            className="btn"
            disabled={busy}
            onClick={() => void change({ paused: !schedule.paused }).then((next) => next && onSaved(next))}
            data-testid="schedule-pause"
          >
            {schedule.paused ? 'Resume schedule' : 'Pause schedule'}
          </button>
        )}
      </div>
    </form>
  );
}

const THEME_LABELS: Record<AppPreferences['theme'], string> = { system: 'Follow the system', light: 'Light', dark: 'Dark' };

/** Each preference is saved as it is changed (as the tray's checkboxes do). */
function PreferencesForm({ preferences, onChanged }: { preferences: AppPreferences; onChanged: () => void }) {
  const desktop = isDesktopHost();
  const action = useAction();
  async function set(change: Partial<AppPreferences>) {
    if (await action.run(() => callApi('setPreferences', change))) onChanged();
  }
  return (
    <section className="card card-padded" aria-labelledby="preferences-title" data-testid="preferences" aria-busy={action.busy}>
      <h2 id="preferences-title">Desktop</h2>
      {!desktop && (
        <p className="notice" data-testid="preview-note">
          This is the browser preview: it has no tray and no OS notifications, and its preferences last until it stops. The theme follows
          the browser here; the desktop app applies all of them.
        </p>
      )}
      <div className="setting">
        <label htmlFor="pref-theme">Theme</label>
        <select
          id="pref-theme"
          value={preferences.theme}
          onChange={(e) => void set({ theme: e.target.value as AppPreferences['theme'] })}
          data-testid="pref-theme"
        >
          {THEMES.map((theme) => (
            <option key={theme} value={theme}>
              {THEME_LABELS[theme]}
            </option>
          ))}
        </select>
      </div>
      <div className="setting">
        <label className="setting-switch">
          <input
            type="checkbox"
            checked={preferences.closeToTray}
            onChange={(e) => void set({ closeToTray: e.target.checked })}
            data-testid="pref-close-to-tray"
          />
          Keep running in the tray when the window closes
        </label>
        <p className="hint">Quit in the tray menu ends the app. On Linux the icon needs AppIndicator support.</p>
      </div>
      <div className="setting">
        <label className="setting-switch">
          <input
            type="checkbox"
            checked={preferences.notifyOnFailure}
            onChange={(e) => void set({ notifyOnFailure: e.target.checked })}
            data-testid="pref-notify"
          />
          Notify when a sync fails
        </label>
        <p className="hint">One notification per failure streak, and one when syncing recovers; none while this window is focused.</p>
      </div>
      <ErrorAlert message={action.error} />
    </section>
  );
}
