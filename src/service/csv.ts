/** CSV as RFC 4180 writes it, safe to open in a spreadsheet. */

/**
 * Quotes a field when it needs it. A text starting like a formula (`=`, `+`, `-`, `@`, tab, CR) is
 * prefixed with `'` so a spreadsheet shows it instead of evaluating it; numbers pass unchanged.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvLine(fields: Array<string | number | null>): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}
