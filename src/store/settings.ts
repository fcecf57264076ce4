/**
 * Configurations other than the performance settings (retention, metrics endpoint, the webhook
 * list), each one JSON value per `config_type`, every saved change appended to `configuration_audit`
 * in the same transaction; the schedule's changes (the schedule itself is the host's); and the audit
 * trail of all of them, as changes a person reads.
 */
import type { z } from 'zod';
import { DEFAULT_PERFORMANCE_CONFIG } from '../shared/performance.ts';
import type { ConfigHistoryEntry, ConfigHistoryPage, ConfigType } from '../shared/operations.ts';
import { CONFIG_TYPES, DEFAULT_METRICS_SETTINGS, DEFAULT_RETENTION_POLICY } from '../shared/operations.ts';
import { DEFAULT_SCHEDULE_INTERVAL } from '../shared/model.ts';
import { snakeName } from '../shared/settings.ts';
import { nowIso, type Store } from './db.ts';

/** A stored value merged over the defaults (older versions may lack newer keys); the defaults if invalid. */
export function readConfig<T extends object>(store: Store, type: ConfigType, schema: z.ZodType<T>, defaults: T): T {
  const row = store.statement(`SELECT value FROM configurations WHERE config_type = ?`).get(type) as { value: string } | undefined;
  if (!row) return { ...defaults };
  const parsed = schema.safeParse({ ...defaults, ...(JSON.parse(row.value) as object) });
  return parsed.success ? parsed.data : { ...defaults };
}

export interface Attribution {
  /** Which host saved it: app, cli, preview. */
  changedBy: string;
  /** Why, when not a plain edit (`recommendation raise-workers`). */
  reason?: string | null;
}

/**
 * Saves a value and its audit entry (before → after) in one transaction, IMMEDIATE: it reads before it
 * writes while a sync commits pages on another connection; deferred, it could fail to upgrade.
 */
export function writeConfig(store: Store, type: ConfigType, value: object, by: Attribution): void {
  store.sqlite
    .transaction(() => {
      const before = store.statement(`SELECT value FROM configurations WHERE config_type = ?`).get(type) as { value: string } | undefined;
      const at = nowIso();
      const json = JSON.stringify(value);
      store
        .statement(
          `INSERT INTO configurations (config_type, value, updated_at) VALUES (@type, @json, @at)
         ON CONFLICT (config_type) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
        )
        .run({ type, json, at });
      appendAudit(store, type, at, before?.value ?? null, json, by);
    })
    .immediate();
}

/** Records a change of a configuration kept outside the database (the schedule), before → after. */
export function auditExternalConfig(store: Store, type: ConfigType, before: object, after: object, by: Attribution): void {
  appendAudit(store, type, nowIso(), JSON.stringify(before), JSON.stringify(after), by);
}

function appendAudit(store: Store, type: ConfigType, at: string, before: string | null, after: string, by: Attribution): void {
  store
    .statement(
      `INSERT INTO configuration_audit (config_type, changed_at, changed_by, before, after, reason)
       VALUES (@type, @at, @changedBy, @before, @after, @reason)`,
    )
    .run({ type, at, changedBy: by.changedBy, before, after, reason: by.reason ?? null });
}

/** What was in force before a type's first save. */
const INITIAL_VALUES: Record<ConfigType, object> = {
  performance: DEFAULT_PERFORMANCE_CONFIG,
  retention: DEFAULT_RETENTION_POLICY,
  metrics: DEFAULT_METRICS_SETTINGS,
  webhooks: {},
  schedule: { enabled: true, intervalMinutes: DEFAULT_SCHEDULE_INTERVAL },
};

interface AuditRow {
  id: number;
  configType: ConfigType;
  changedAt: string;
  changedBy: string;
  reason: string | null;
  before: string | null;
  after: string;
}

/** The audit trail newest first (optionally of one type), each entry as the settings it changed; `total` counts all. */
export function listConfigHistory(store: Store, query: { type?: ConfigType; limit: number; offset: number }): ConfigHistoryPage {
  const where = query.type ? `WHERE config_type = @type` : `WHERE config_type IN (${CONFIG_TYPES.map((t) => `'${t}'`).join(', ')})`;
  const rows = store
    .statement(
      `SELECT id, config_type AS configType, changed_at AS changedAt, changed_by AS changedBy, reason, before, after
       FROM configuration_audit ${where} ORDER BY id DESC LIMIT @limit OFFSET @offset`,
    )
    .all({ type: query.type ?? null, limit: query.limit, offset: query.offset }) as AuditRow[];
  const { n } = store.statement(`SELECT COUNT(*) AS n FROM configuration_audit ${where}`).get({ type: query.type ?? null }) as {
    n: number;
  };
  return { rows: rows.map(toEntry), total: n };
}

/** The audit entries saved in `(after, until]`, oldest first (what changed before a failure, for the analytics). */
export function configChangesBetween(store: Store, after: string, until: string): ConfigHistoryEntry[] {
  const rows = store
    .statement(
      `SELECT id, config_type AS configType, changed_at AS changedAt, changed_by AS changedBy, reason, before, after
       FROM configuration_audit WHERE changed_at > ? AND changed_at <= ? ORDER BY changed_at, id`,
    )
    .all(after, until) as AuditRow[];
  return rows.filter((row) => row.configType in INITIAL_VALUES).map(toEntry);
}

function toEntry(row: AuditRow): ConfigHistoryEntry {
  // Settings start from their defaults (the first save's "before"); the webhook list starts empty.
  const initial = INITIAL_VALUES[row.configType];
  const before: Record<string, unknown> = { ...initial, ...(row.before ? (JSON.parse(row.before) as object) : {}) };
  const after: Record<string, unknown> = { ...initial, ...(JSON.parse(row.after) as object) };
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const changes = keys
    .filter((key) => JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null))
    .map((key) => ({
      setting: row.configType === 'webhooks' ? `webhook ${key}` : snakeName(key),
      before: before[key] ?? null,
      after: after[key] ?? null,
    }));
  return { id: row.id, configType: row.configType, changedAt: row.changedAt, changedBy: row.changedBy, reason: row.reason, changes };
}
