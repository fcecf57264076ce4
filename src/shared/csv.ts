/**
 * The product's one CSV writer (RFC 4180): a header row, CRLF line ends, fields quoted when they
 * hold a comma, quote or line break, UTF-8 with a byte-order mark so spreadsheets read accents right.
 * A text that starts like a formula (`=`, `+`, `-`, `@`, tab, CR) gets a leading `'` so a spreadsheet
 * shows it instead of evaluating it; numbers pass unchanged.
 */

export type CsvValue = string | number | boolean | null | undefined;

export const CSV_BOM = '\uFEFF';

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvLine(fields: readonly CsvValue[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => CsvValue;
}

/** The whole document: BOM, header row, one line per row; `rows` is iterated once (a streamed query works). */
export function toCsv<T>(columns: readonly CsvColumn<T>[], rows: Iterable<T>): { text: string; rows: number } {
  const lines = [CSV_BOM, csvLine(columns.map((c) => c.header))];
  let count = 0;
  for (const row of rows) {
    lines.push(csvLine(columns.map((c) => c.value(row))));
    count += 1;
  }
  return { text: lines.join(''), rows: count };
}
