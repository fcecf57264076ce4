/** The settings form's model: what was typed, read as the contract's config. Pure, unit-tested. */
import type { PerformanceConfig } from '../../../shared/model.ts';
import { PERFORMANCE_KEYS, PERFORMANCE_SETTINGS, type PerformanceKey } from '../../../shared/performanceSettings.ts';

/** Numbers as typed (strings, so "1." or "" can be on screen), booleans as they are. */
export type Draft = { [K in PerformanceKey]: PerformanceConfig[K] extends boolean ? boolean : string };

export function toDraft(config: PerformanceConfig): Draft {
  return Object.fromEntries(
    PERFORMANCE_KEYS.map((key) => [key, PERFORMANCE_SETTINGS[key].kind === 'boolean' ? config[key] : String(config[key])]),
  ) as Draft;
}

/**
 * The draft as a config for the back end. What does not read as a number is sent as typed, so the
 * back end answers with the setting's own message ("max_workers must be a number").
 */
export function fromDraft(draft: Draft): PerformanceConfig {
  return Object.fromEntries(
    PERFORMANCE_KEYS.map((key) => {
      const value = draft[key];
      if (typeof value === 'boolean') return [key, value];
      const trimmed = value.trim();
      return [key, /^-?(\d+\.?\d*|\.\d+)$/.test(trimmed) ? Number(trimmed) : value];
    }),
  ) as unknown as PerformanceConfig;
}

/** The contract's per-field messages (`config.maxWorkers`) by setting. */
export function fieldErrors(fields: Record<string, string>): Partial<Record<PerformanceKey, string>> {
  const errors: Partial<Record<PerformanceKey, string>> = {};
  for (const [path, message] of Object.entries(fields)) {
    const key = path.replace(/^config\./, '') as PerformanceKey;
    if ((PERFORMANCE_KEYS as string[]).includes(key)) errors[key] = message;
  }
  return errors;
}

/** Settings whose draft differs from the saved config. */
export function changedKeys(draft: Draft, saved: PerformanceConfig): PerformanceKey[] {
  const config = fromDraft(draft);
  return PERFORMANCE_KEYS.filter((key) => config[key] !== saved[key]);
}
