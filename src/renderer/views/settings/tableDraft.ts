/**
 * A form over a settings table (the retention policy, the metrics endpoint): values as typed, sent
 * to the back end as the contract's object, and its per-field messages read back. Pure.
 */
import type { SettingTable, SettingValues } from '../../../shared/settings.ts';

/** Numbers and text as typed (strings), booleans as they are. */
export type TableDraft = Record<string, string | boolean>;

export function toTableDraft<T extends SettingTable>(table: T, values: SettingValues<T>): TableDraft {
  return Object.fromEntries(
    Object.keys(table).map((key) => {
      const value = values[key as keyof T] as unknown;
      return [key, typeof value === 'boolean' ? value : String(value)];
    }),
  );
}

/**
 * The draft as the contract's object. What does not read as a whole number is sent as typed, so the
 * back end answers with the setting's own message (`details_days must be a number`).
 */
export function fromTableDraft<T extends SettingTable>(table: T, draft: TableDraft): SettingValues<T> {
  return Object.fromEntries(
    Object.entries(table).map(([key, spec]) => {
      const value = draft[key];
      if (spec.kind !== 'integer' || typeof value !== 'string') return [key, value];
      const trimmed = value.trim();
      return [key, /^-?\d+$/.test(trimmed) ? Number(trimmed) : value];
    }),
  ) as SettingValues<T>;
}

/** The keys whose draft differs from the saved values. */
export function changedTableKeys<T extends SettingTable>(table: T, draft: TableDraft, saved: SettingValues<T>): string[] {
  const values = fromTableDraft(table, draft) as Record<string, unknown>;
  return Object.keys(table).filter((key) => values[key] !== (saved as Record<string, unknown>)[key]);
}

/** The contract's messages (`policy.detailsDays` → …) by key, for the keys of `table`; `prefix` is the input's field (`policy`). */
export function tableFieldErrors(table: SettingTable, fields: Record<string, string>, prefix: string): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [path, message] of Object.entries(fields)) {
    const key = path.startsWith(`${prefix}.`) ? path.slice(prefix.length + 1) : path;
    if (Object.hasOwn(table, key)) errors[key] = message;
  }
  return errors;
}
