/** An audited value as people read it. Pure. */

/** Scalars as they are; a webhook (`{url, events}`) as "url (events)"; nothing as "—". */
export function auditValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value !== 'object') return String(value);
  const hook = value as { url?: unknown; events?: unknown };
  if (typeof hook.url === 'string' && Array.isArray(hook.events)) return `${hook.url} (${hook.events.join(', ')})`;
  return JSON.stringify(value);
}
