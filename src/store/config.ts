/** Repository of configurations (one JSON value per config_type) and their audit trail. */
import { orm } from './orm.ts';
import type { PerformanceConfig } from '../shared/model.ts';
import { DEFAULT_PERFORMANCE_CONFIG, performanceConfigSchema } from '../shared/performance.ts';
import type { Store } from './db.ts';
import { configurationAudit } from './schema.ts';
import { writeConfig } from './settings.ts';

const { desc, eq } = orm;

/** The last parsed value per connection: the engine reads the config before every request. */
const parsedConfigs = new WeakMap<Store, { raw: string; config: PerformanceConfig }>();

export function getPerformanceConfig(store: Store): PerformanceConfig {
  const row = store.statement(`SELECT value FROM configurations WHERE config_type = 'performance'`).get() as { value: string } | undefined;
  if (!row) return { ...DEFAULT_PERFORMANCE_CONFIG };
  const cached = parsedConfigs.get(store);
  if (cached?.raw === row.value) return cached.config;
  // Settings saved by an older version may lack newer keys: fill them from the defaults.
  const parsed = performanceConfigSchema.safeParse({ ...DEFAULT_PERFORMANCE_CONFIG, ...JSON.parse(row.value) });
  const config = parsed.success ? parsed.data : { ...DEFAULT_PERFORMANCE_CONFIG };
  parsedConfigs.set(store, { raw: row.value, config });
  return config;
}

export interface ConfigAuditEntry {
  changedAt: string;
  changedBy: string;
  before: PerformanceConfig | null;
  after: PerformanceConfig;
}

/** Saves a validated config and appends the change to the audit table, in one transaction. */
export function savePerformanceConfig(
  store: Store,
  next: PerformanceConfig,
  changedBy: string,
  reason: string | null = null,
): PerformanceConfig {
  const valid = performanceConfigSchema.parse(next);
  writeConfig(store, 'performance', valid, { changedBy, reason });
  return valid;
}

export function getPerformanceAudit(store: Store, limit = 50): ConfigAuditEntry[] {
  return store.db
    .select()
    .from(configurationAudit)
    .where(eq(configurationAudit.configType, 'performance'))
    .orderBy(desc(configurationAudit.id))
    .limit(limit)
    .all()
    .map((row) => ({
      changedAt: row.changedAt,
      changedBy: row.changedBy,
      before: row.before ? (JSON.parse(row.before) as PerformanceConfig) : null,
      after: JSON.parse(row.after) as PerformanceConfig,
    }));
}
