/**
 * Validation of the performance settings (zod), built from the one table in performanceSettings.ts
 * with every message naming the setting as users type it (`max_workers must be between 1 and 32 workers`).
 */
import { z } from 'zod';
import type { PerformanceConfig } from './model.ts';
import { PERFORMANCE_KEYS, PERFORMANCE_SETTINGS, settingName, type PerformanceKey, type Setting } from './performanceSettings.ts';

export {
  DEFAULT_PERFORMANCE_CONFIG,
  PERFORMANCE_KEYS,
  PERFORMANCE_SETTINGS,
  settingKey,
  settingName,
  type PerformanceKey,
} from './performanceSettings.ts';

function fieldSchema(key: PerformanceKey, setting: Setting) {
  const name = settingName(key);
  if (setting.kind === 'boolean') return z.boolean({ message: `${name} must be true or false` });
  const range = `${name} must be between ${setting.min} and ${setting.max}${setting.unit ? ` ${setting.unit}` : ''}`;
  const base = z
    .number({ message: `${name} must be a number` })
    .min(setting.min, range)
    .max(setting.max, range);
  return setting.kind === 'integer' ? base.int(`${name} must be a whole number`) : base;
}

export const performanceConfigSchema = z.strictObject(
  Object.fromEntries(PERFORMANCE_KEYS.map((key) => [key, fieldSchema(key, PERFORMANCE_SETTINGS[key])])) as unknown as {
    [K in PerformanceKey]: z.ZodType<PerformanceConfig[K]>;
  },
);
