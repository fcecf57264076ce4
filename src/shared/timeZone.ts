/**
 * Calendar days of an IANA time zone as UTC instants, for the daily summaries: a day is
 * `[start, end)` from one local midnight to the next, 23 or 25 hours long across a DST change.
 * Pure functions over Intl; `system` means this process's zone (TZ, or the OS setting).
 */

export function resolveTimeZone(zone: string): string {
  return zone === 'system' ? Intl.DateTimeFormat().resolvedOptions().timeZone : zone;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, format);
  }
  return format;
}

/** The wall-clock time at `ms` in `zone`, read as if it were UTC. */
function wallClockMs(ms: number, zone: string): number {
  const parts = Object.fromEntries(
    formatter(zone)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
}

/** The local calendar date (YYYY-MM-DD) at `ms` in `zone`. */
export function localDate(ms: number, zone: string): string {
  return new Date(wallClockMs(ms, zone)).toISOString().slice(0, 10);
}

/** The first instant of the local day that contains `ms`. */
export function startOfLocalDay(ms: number, zone: string): number {
  const date = localDate(ms, zone);
  const midnightAsUtc = Date.parse(`${date}T00:00:00Z`);
  const seconds = Math.floor(ms / 1000) * 1000;
  // Local midnight = its wall-clock reading minus the zone's offset then; the offset at `ms` is a
  // first guess, corrected once with the offset at that guess (they differ across a DST change).
  const guess = midnightAsUtc - (wallClockMs(seconds, zone) - seconds);
  const corrected = midnightAsUtc - (wallClockMs(guess, zone) - guess);
  // Where midnight itself is skipped (DST at 00:00), the day starts at the first instant it has.
  return localDate(corrected, zone) === date ? corrected : guess;
}

/** The first instant of the local day after the one starting at `dayStartMs`. */
export function nextLocalDay(dayStartMs: number, zone: string): number {
  // A day lasts 23 to 25 hours: 30 hours on is always within the next one.
  return startOfLocalDay(dayStartMs + 30 * 3_600_000, zone);
}

export interface DayWindow {
  day: string;
  startsAt: string;
  endsAt: string;
}

/**
 * The local days from the one containing `fromMs` up to the one containing `toMs` (both included),
 * or, with `endExclusive`, those that end by `toMs`. A `fromMs` that is not a local midnight starts
 * a shorter first window there (the summaries' zone changed mid-day).
 */
export function dayWindows(
  fromMs: number,
  toMs: number,
  zone: string,
  options: { alignStart?: boolean; endExclusive?: boolean } = {},
): DayWindow[] {
  const windows: DayWindow[] = [];
  let start = options.alignStart === false ? fromMs : startOfLocalDay(fromMs, zone);
  while (options.endExclusive ? start < toMs : start <= toMs) {
    const end = nextLocalDay(start, zone);
    if (options.endExclusive && end > toMs) break;
    windows.push({ day: localDate(start, zone), startsAt: new Date(start).toISOString(), endsAt: new Date(end).toISOString() });
    start = end;
  }
  return windows;
}
