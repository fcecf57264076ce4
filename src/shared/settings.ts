/**
 * A table of settings (kind, range, default, the one-line explanation) turned into what every layer
 * needs: the zod schema the back end validates with, the defaults, and the snake_case names users
 * type on the command line (`details_days=30`) and read in messages.
 */
import { z } from 'zod';

export type SettingSpec =
  | { kind: 'integer'; min: number; max: number; default: number; unit: string; explanation: string }
  | { kind: 'boolean'; default: boolean; explanation: string }
  | { kind: 'text'; default: string; explanation: string; check: (value: string) => string | null };

export type SettingTable = Record<string, SettingSpec>;

export type SettingValues<T extends SettingTable> = {
  -readonly [K in keyof T]: T[K] extends { kind: 'boolean' } ? boolean : T[K] extends { kind: 'text' } ? string : number;
};

/** `detailsDays` → `details_days`: the name users know a setting by. */
export function snakeName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The key a user's name (`details_days`) or a contract key (`detailsDays`) stands for; null if none. */
export function keyOf<T extends object>(table: T, name: string): (keyof T & string) | null {
  const camel = name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  return Object.hasOwn(table, camel) ? (camel as keyof T & string) : null;
}

function fieldSchema(key: string, spec: SettingSpec): z.ZodType {
  const name = snakeName(key);
  if (spec.kind === 'boolean') return z.boolean({ message: `${name} must be true or false` });
  if (spec.kind === 'text') {
    return z.string({ message: `${name} must be text` }).superRefine((value, ctx) => {
      const problem = spec.check(value);
      if (problem) ctx.addIssue({ code: 'custom', message: `${name} ${problem}` });
    });
  }
  const range = `${name} must be a whole number from ${spec.min} to ${spec.max}${spec.unit ? ` ${spec.unit}` : ''}`;
  return z
    .number({ message: `${name} must be a number` })
    .int(range)
    .min(spec.min, range)
    .max(spec.max, range);
}

export function settingsSchema<T extends SettingTable>(table: T): z.ZodType<SettingValues<T>> {
  return z.strictObject(Object.fromEntries(Object.entries(table).map(([key, spec]) => [key, fieldSchema(key, spec)]))) as never;
}

export function settingDefaults<T extends SettingTable>(table: T): SettingValues<T> {
  return Object.fromEntries(Object.entries(table).map(([key, spec]) => [key, spec.default])) as SettingValues<T>;
}

/**
 * A user's `name=value` for a setting, typed by its kind; a message naming the problem otherwise.
 * Ranges are checked by the schema afterwards, with the rest of the change.
 */
export function parseSettingValue(spec: SettingSpec, name: string, raw: string): { value: number | boolean | string } | { error: string } {
  if (spec.kind === 'boolean') {
    if (raw !== 'true' && raw !== 'false') return { error: `${name} must be true or false, got "${raw}"` };
    return { value: raw === 'true' };
  }
  if (spec.kind === 'text') return { value: raw };
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) return { error: `${name} must be a number, got "${raw}"` };
  return { value: n };
}
