import { useCall } from '../../api/useCall.ts';
import { useNow } from '../../lib/hooks.ts';
import { scheduleText } from '../../lib/schedule.ts';

/** The next scheduled sync, or "No schedule" with the way to set one up. */
export function ScheduleCard() {
  const now = useNow(true, 30_000);
  const schedule = useCall('getSchedule', {}, { refreshOn: ['scheduleChanged'], throttleMs: 200 });
  const text = schedule.data ? scheduleText(schedule.data, now) : null;
  return (
    <section className="card card-padded schedule-card" aria-labelledby="schedule-card-title" data-testid="schedule-card">
      <h2 id="schedule-card-title">Next scheduled sync</h2>
      {schedule.error && !schedule.data ? (
        <p className="muted">{schedule.error}</p>
      ) : !text || !schedule.data ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <p className="schedule-headline" data-testid="schedule-card-next" data-state={schedule.data.state}>
            {schedule.data.state === 'scheduled' && schedule.data.nextDueAt ? (
              <time dateTime={schedule.data.nextDueAt}>{text.headline}</time>
            ) : (
              text.headline
            )}
          </p>
          {text.detail && <p className="sub">{text.detail}</p>}
          {schedule.data.lastError && <p className="field-error">Last scheduled sync could not start: {schedule.data.lastError}</p>}
          <a href="#/settings/desktop" data-testid="schedule-card-link">
            {schedule.data.state === 'off' ? 'Set up a schedule' : 'Change the schedule'}
          </a>
        </>
      )}
    </section>
  );
}
