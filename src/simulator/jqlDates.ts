/**
 * Date values in JQL (formats in jql.ts): the interval of instants a literal or a date function
 * names, read in the user's time zone; a value relative to the clock marks the query as not cacheable.
 */
import type { CompileContext, IssueView } from './jqlCompile.ts';
import { JqlError } from './jqlError.ts';
import type { JqlValue } from './jqlParser.ts';
import { daysInMonth, localToEpoch, tzOffsetMs } from './time.ts';

const DATE_RE = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/;
const PERIOD_RE = /^([-+])?\s*((?:\d+\s*[wdhm]\s*)+)$/;
const MINUTE = 60_000;
const DAY = 86_400_000;

export interface Interval {
  start: number;
  end: number;
}

export function dateInterval(field: string, val: JqlValue, cx: CompileContext<IssueView>): Interval {
  const { env } = cx;
  if (val.fn) {
    const name = val.fn.name.toLowerCase();
    cx.cacheable = false;
    if (name === 'now') return { start: env.now, end: env.now + 1 };
    if (name === 'startofday' || name === 'endofday') {
      const off = tzOffsetMs(env.now, env.userTimeZone);
      const local = new Date(env.now + off);
      const s = localToEpoch(local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate(), 0, 0, env.userTimeZone);
      const t = name === 'startofday' ? s : s + DAY - 1;
      return { start: t, end: t + 1 };
    }
    throw new JqlError(`Unable to find JQL function '${val.fn.name}(${val.fn.args.join(', ')})'.`);
  }
  const s = val.text.trim();
  if (/^\d+$/.test(s)) {
    const ms = Number(s);
    return { start: ms, end: ms + 1 };
  }
  const m = DATE_RE.exec(s);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    const hasTime = m[4] !== undefined;
    const h = hasTime ? Number(m[4]) : 0;
    const mi = hasTime ? Number(m[5]) : 0;
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) && h <= 23 && mi <= 59) {
      const t = localToEpoch(y, mo, d, h, mi, env.userTimeZone);
      return { start: t, end: t + MINUTE };
    }
  }
  const p = PERIOD_RE.exec(s);
  if (p) {
    let dur = 0;
    for (const part of (p[2] as string).matchAll(/(\d+)\s*([wdhm])/g)) {
      const k = Number(part[1]);
      const unit = part[2];
      dur += k * (unit === 'w' ? 7 * DAY : unit === 'd' ? DAY : unit === 'h' ? 3_600_000 : MINUTE);
    }
    cx.cacheable = false;
    const t = p[1] === '-' ? env.now - dur : env.now + dur;
    return { start: t, end: t + 1 };
  }
  throw new JqlError(
    `Date value '${val.text}' for field '${field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
  );
}
