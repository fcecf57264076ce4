/** The dashboard's period as instants: today and the `days - 1` local days before it, to the end of today. Pure. */
export function periodOfDays(days: number, nowMs: number): { from: string; to: string } {
  const start = new Date(nowMs);
  start.setHours(0, 0, 0, 0);
  start.setDate(start.getDate() - (days - 1));
  const end = new Date(nowMs);
  end.setHours(23, 59, 59, 999);
  return { from: start.toISOString(), to: end.toISOString() };
}

/** A `YYYY-MM-DD` of the user's calendar, for date inputs. */
export function localDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
