/**
 * Time-zone helpers: Jira-style timestamps (`2022-03-20T06:21:50.295+0530`) in an IANA zone, and
 * local wall-clock → instant conversion (for JQL date literals read in the user's zone).
 * Offsets come from Intl.DateTimeFormat, so DST is handled; they are cached per 15-minute bucket
 * (every real transition happens on a quarter-hour boundary in UTC).
 */

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, Map<number, number>>();
const BUCKET = 15 * 60_000;

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Throws a RangeError when `tz` is not a valid IANA time zone. */
export function assertTimeZone(tz: string): void {
  new Intl.DateTimeFormat('en-US', { timeZone: tz });
}

function computeOffset(ms: number, tz: string): number {
  const parts = formatter(tz).formatToParts(new Date(ms));
  let y = 0,
    mo = 0,
    d = 0,
    h = 0,
    mi = 0,
    s = 0;
  for (const p of parts) {
    switch (p.type) {
      case 'year':
        y = Number(p.value);
        break;
      case 'month':
        mo = Number(p.value);
        break;
      case 'day':
        d = Number(p.value);
        break;
      case 'hour':
        h = Number(p.value);
        break;
      case 'minute':
        mi = Number(p.value);
        break;
      case 'second':
        s = Number(p.value);
        break;
      default:
        break;
    }
  }
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** Offset of `tz` from UTC at instant `ms`, in milliseconds (e.g. +19800000 for Asia/Kolkata). */
export function tzOffsetMs(ms: number, tz: string): number {
  let cache = offsetCache.get(tz);
  if (!cache) {
    cache = new Map();
    offsetCache.set(tz, cache);
  }
  // Day-level entry first: when the offset is the same at both ends of the UTC day, it holds all day.
  const day = Math.floor(ms / 86_400_000);
  const dk = -1 - day;
  let dayOff = cache.get(dk);
  if (dayOff === undefined) {
    if (cache.size > 100_000) cache.clear();
    const a = computeOffset(day * 86_400_000, tz);
    const b = computeOffset(day * 86_400_000 + 86_400_000 - BUCKET, tz);
    dayOff = a === b ? a : NaN;
    cache.set(dk, dayOff);
  }
  if (!Number.isNaN(dayOff)) return dayOff;
  const bucket = Math.floor(ms / BUCKET);
  let off = cache.get(bucket);
  if (off === undefined) {
    off = computeOffset(bucket * BUCKET, tz);
    cache.set(bucket, off);
  }
  return off;
}

function p2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}
function p3(n: number): string {
  return n < 10 ? '00' + n : n < 100 ? '0' + n : String(n);
}
function p4(n: number): string {
  return n >= 1000 ? String(n) : n >= 100 ? '0' + n : n >= 10 ? '00' + n : '000' + n;
}

/** `2022-03-20T06:21:50.295+0530`: milliseconds and an offset without a colon, in zone `tz`. */
export function formatJiraTimestamp(ms: number, tz: string): string {
  const off = tzOffsetMs(ms, tz);
  const d = new Date(ms + off);
  const a = Math.abs(off) / 60_000;
  return (
    p4(d.getUTCFullYear()) +
    '-' +
    p2(d.getUTCMonth() + 1) +
    '-' +
    p2(d.getUTCDate()) +
    'T' +
    p2(d.getUTCHours()) +
    ':' +
    p2(d.getUTCMinutes()) +
    ':' +
    p2(d.getUTCSeconds()) +
    '.' +
    p3(d.getUTCMilliseconds()) +
    (off < 0 ? '-' : '+') +
    p2(Math.floor(a / 60)) +
    p2(a % 60)
  );
}

/** `yyyy-MM-dd` of instant `ms` in zone `tz`. */
export function formatLocalDate(ms: number, tz: string): string {
  const d = new Date(ms + tzOffsetMs(ms, tz));
  return p4(d.getUTCFullYear()) + '-' + p2(d.getUTCMonth() + 1) + '-' + p2(d.getUTCDate());
}

/**
 * The instant at which the wall clock in `tz` reads y-mo-d h:mi. In a DST gap the later offset is
 * used (like java.time); in an overlap the earlier instant wins.
 */
export function localToEpoch(y: number, mo: number, d: number, h: number, mi: number, tz: string): number {
  const naive = Date.UTC(y, mo - 1, d, h, mi);
  let t = naive - tzOffsetMs(naive, tz);
  const off2 = tzOffsetMs(t, tz);
  t = naive - off2;
  // Overlap: prefer the earlier instant if it also maps to the same wall time.
  const earlier = naive - tzOffsetMs(t - 3_600_000, tz);
  if (earlier < t && earlier + tzOffsetMs(earlier, tz) === naive) return earlier;
  return t;
}

/** Days in a month (1-based month). */
export function daysInMonth(y: number, mo: number): number {
  return new Date(Date.UTC(y, mo, 0)).getUTCDate();
}
