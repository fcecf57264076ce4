/**
 * The performance settings: ranges, defaults, units and the one-line explanation the UI shows.
 * One table drives validation (performance.ts, used by main and the CLI), the settings panel and
 * the CLI's `config` help. Free of runtime dependencies, so the renderer bundles it without zod.
 */
import type { PerformanceConfig } from './model.ts';
import { keyOf, snakeName } from './settings.ts';

export interface NumberSetting {
  kind: 'integer' | 'number';
  min: number;
  max: number;
  default: number;
  unit: string;
  explanation: string;
}
export interface BooleanSetting {
  kind: 'boolean';
  default: boolean;
  unit: '';
  explanation: string;
}
export type Setting = NumberSetting | BooleanSetting;

export const PERFORMANCE_SETTINGS = {
  batchSize: {
    kind: 'integer',
    min: 1,
    max: 1000,
    default: 100,
    unit: 'issues',
    explanation: 'Issues requested per search page (Jira Cloud returns at most 100 with full fields).',
  },
  maxWorkers: {
    kind: 'integer',
    min: 1,
    max: 32,
    default: 8,
    unit: 'workers',
    explanation: 'Projects (or slices of a large project) synced at the same time.',
  },
  projectTimeout: {
    kind: 'integer',
    min: 1,
    max: 86_400,
    default: 1800,
    unit: 's',
    explanation: 'A project taking longer than this fails with Timeout; the others continue.',
  },
  rateLimitPause: {
    kind: 'number',
    min: 0,
    max: 60,
    default: 0,
    unit: 's',
    explanation: 'Pause between two requests of one worker, to stay under the server rate limit.',
  },
  maxRetries: {
    kind: 'integer',
    min: 0,
    max: 20,
    default: 5,
    unit: 'retries',
    explanation: 'Retries of a request after 429, 5xx, connection resets and timeouts.',
  },
  backoffFactor: {
    kind: 'number',
    min: 0.01,
    max: 60,
    default: 1,
    unit: 's',
    explanation: 'Base of the exponential backoff between retries (factor × 2^attempt, with jitter).',
  },
  lookbackDays: {
    kind: 'integer',
    min: 0,
    max: 36_500,
    default: 0,
    unit: 'days',
    explanation: "How far back a project's first sync reaches; 0 mirrors all history.",
  },
  connectionPoolSize: {
    kind: 'integer',
    min: 1,
    max: 128,
    default: 10,
    unit: 'connections',
    explanation: 'Kept-alive HTTP connections per Jira instance.',
  },
  connectionPoolBlock: {
    kind: 'boolean',
    default: true,
    unit: '',
    explanation: 'Wait for a free pooled connection (on) or open extra short-lived ones (off).',
  },
  requestTimeout: {
    kind: 'integer',
    min: 1,
    max: 600,
    default: 60,
    unit: 's',
    explanation: 'A request without a complete response after this long is retried as a Timeout.',
  },
  maxRateLimitWait: {
    kind: 'integer',
    min: 0,
    max: 7200,
    default: 300,
    unit: 's',
    explanation:
      'Longest rate-limit wait (Retry-After) slept through; a longer one, e.g. an hourly quota, fails the project and is reported.',
  },
  sweepEvery: {
    kind: 'integer',
    min: 0,
    max: 1000,
    default: 10,
    unit: 'syncs',
    explanation: 'Every Nth sync of a project also finds issues deleted or moved in Jira (0 = only on demand).',
  },
} as const satisfies Record<keyof PerformanceConfig, Setting>;

export type PerformanceKey = keyof PerformanceConfig;
export const PERFORMANCE_KEYS = Object.keys(PERFORMANCE_SETTINGS) as PerformanceKey[];

/** The name users know a setting by, in the CLI, the README and every message: `max_workers`. */
export function settingName(key: PerformanceKey): string {
  return snakeName(key);
}

/** The setting a user name (`max_workers`) or a contract key (`maxWorkers`) stands for; null if none. */
export function settingKey(name: string): PerformanceKey | null {
  return keyOf(PERFORMANCE_SETTINGS, name);
}

export const DEFAULT_PERFORMANCE_CONFIG: PerformanceConfig = Object.fromEntries(
  PERFORMANCE_KEYS.map((key) => [key, PERFORMANCE_SETTINGS[key].default]),
) as unknown as PerformanceConfig;
