/**
 * The retention pass: summarize every finished day, then remove what the policy no longer keeps —
 * project details and performance samples after `details_days` / `metrics_days`, runs (with their
 * growth samples) after `runs_days`, delivered webhook logs with the details — but never a row whose
 * day is not summarized yet; then hand the freed pages back (incremental vacuum).
 *
 * Deletes run in batches with a pause between them, so the process serving the UI stays responsive
 * through a first pass over a year of history.
 */
import { statSync } from 'node:fs';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import type { RetentionPolicy, RetentionReport } from '../shared/operations.ts';
import type { Store } from './db.ts';
import { planSummaries, writeSummaries, type SummarizePlan } from './summaries.ts';

const DAY_MS = 86_400_000;
const BATCH = 5_000;
/** Pages handed back per step (16 KB pages: 32 MB). */
const VACUUM_STEP_PAGES = 2_048;
const SUMMARY_STEP_DAYS = 31;

/** The database file and its write-ahead log, in bytes (0 for a file not there). */
export function databaseFileSizes(store: Store): { main: number; wal: number } {
  const size = (file: string) => {
    try {
      return statSync(file).size;
    } catch {
      return 0;
    }
  };
  return { main: size(store.file), wal: size(`${store.file}-wal`) };
}

export function databaseBytes(store: Store): number {
  const { main, wal } = databaseFileSizes(store);
  return main + wal;
}

export type AutoVacuum = RetentionReport['database']['autoVacuum'];

export function autoVacuumMode(store: Store): AutoVacuum {
  const mode = store.sqlite.pragma('auto_vacuum', { simple: true }) as number;
  return mode === 2 ? 'incremental' : mode === 1 ? 'full' : 'none';
}

/**
 * Switches an older database file (created without auto-vacuum) to incremental vacuum: a full
 * VACUUM, which rewrites the file. For the CLI's `retention apply`; never while a sync runs.
 */
export function convertToIncrementalVacuum(store: Store): void {
  store.sqlite.pragma('auto_vacuum = INCREMENTAL');
  store.sqlite.exec('VACUUM');
}

interface Cutoffs {
  details: string;
  metrics: string;
  runs: string;
}

/** The runs that may lose something: started before the cutoff and summarized (before the watermark). */
const PRUNABLE_RUNS = `SELECT sync_id FROM sync_runs WHERE started_at < @cutoff AND started_at < @until AND status <> 'running'`;

const COUNTS = {
  runs: `SELECT COUNT(*) AS n FROM sync_runs WHERE started_at < @cutoff AND started_at < @until AND status <> 'running'`,
  projectDetails: `SELECT COUNT(*) AS n FROM sync_project_details WHERE sync_id IN (${PRUNABLE_RUNS})`,
  metricSamples: `SELECT COUNT(*) AS n FROM sync_performance_metrics WHERE sync_id IN (${PRUNABLE_RUNS})`,
  growthSamples: `SELECT COUNT(*) AS n FROM database_growth WHERE recorded_at < @cutoff AND recorded_at < @until`,
  webhookDeliveries: `SELECT COUNT(*) AS n FROM webhook_deliveries WHERE state <> 'pending' AND created_at < @cutoff`,
};

const DELETES = {
  projectDetails: `DELETE FROM sync_project_details WHERE id IN (
    SELECT id FROM sync_project_details WHERE sync_id IN (${PRUNABLE_RUNS}) LIMIT ${BATCH})`,
  metricSamples: `DELETE FROM sync_performance_metrics WHERE id IN (
    SELECT id FROM sync_performance_metrics WHERE sync_id IN (${PRUNABLE_RUNS}) LIMIT ${BATCH})`,
  runs: `DELETE FROM sync_runs WHERE sync_id IN (${PRUNABLE_RUNS} LIMIT ${BATCH})`,
  growthSamples: `DELETE FROM database_growth WHERE sync_id IN (
    SELECT sync_id FROM database_growth WHERE recorded_at < @cutoff AND recorded_at < @until LIMIT ${BATCH})`,
  webhookDeliveries: `DELETE FROM webhook_deliveries WHERE id IN (
    SELECT id FROM webhook_deliveries WHERE state <> 'pending' AND created_at < @cutoff LIMIT ${BATCH})`,
};

type Target = keyof typeof DELETES;
const CUTOFF_OF: Record<Target, keyof Cutoffs> = {
  projectDetails: 'details',
  metricSamples: 'metrics',
  runs: 'runs',
  growthSamples: 'runs',
  webhookDeliveries: 'details',
};

export function retentionCutoffs(policy: RetentionPolicy, nowMs: number): Cutoffs {
  const at = (days: number) => new Date(nowMs - days * DAY_MS).toISOString();
  return { details: at(policy.detailsDays), metrics: at(policy.metricsDays), runs: at(policy.runsDays) };
}

/** Applies the policy (or, with `dryRun`, reports what it would do and changes nothing). */
export async function applyRetention(
  store: Store,
  policy: RetentionPolicy,
  options: { dryRun: boolean; nowMs?: number },
): Promise<RetentionReport> {
  const nowMs = options.nowMs ?? Date.now();
  const cutoffs = retentionCutoffs(policy, nowMs);
  const bytesBefore = databaseBytes(store);
  const plan = options.dryRun ? planSummaries(store, policy.timeZone, nowMs) : await summarizeAll(store, policy.timeZone, nowMs);
  // Nothing summarized yet means nothing may be pruned: every row is still the only record of its day.
  const until = plan.until ?? '';
  const params = (target: Target) => ({ cutoff: cutoffs[CUTOFF_OF[target]], until });
  const removed = {} as RetentionReport['removed'];
  for (const target of Object.keys(DELETES) as Target[]) {
    const { n } = store.statement(COUNTS[target]).get(params(target)) as { n: number };
    removed[target] = n;
  }
  const { n: keptUnsummarized } = store
    .statement(`SELECT COUNT(*) AS n FROM sync_runs WHERE started_at < @cutoff AND (started_at >= @until OR status = 'running')`)
    .get({ cutoff: cutoffs.details, until }) as { n: number };
  let pagesReleased = 0;
  if (!options.dryRun) {
    for (const target of Object.keys(DELETES) as Target[]) await deleteInBatches(store, DELETES[target], params(target));
    pagesReleased = await releaseFreePages(store);
  }
  return {
    dryRun: options.dryRun,
    policy,
    timeZone: plan.timeZone,
    daysSummarized: plan.windows.length,
    summarizedUntil: plan.until,
    cutoffs,
    removed,
    keptUnsummarized,
    database: { bytesBefore, bytesAfter: databaseBytes(store), pagesReleased, autoVacuum: autoVacuumMode(store) },
  };
}

/** Every plannable day summarized, a month per transaction with a pause between them. */
async function summarizeAll(store: Store, zone: string, nowMs: number): Promise<SummarizePlan> {
  const windows: SummarizePlan['windows'] = [];
  for (;;) {
    const step = writeSummaries(store, zone, nowMs, SUMMARY_STEP_DAYS);
    windows.push(...step.windows);
    if (step.windows.length < SUMMARY_STEP_DAYS) return { ...step, windows };
    await yieldToEvents();
  }
}

async function deleteInBatches(store: Store, sql: string, params: Record<string, string>): Promise<void> {
  const statement = store.statement(sql);
  while (statement.run(params).changes > 0) await yieldToEvents();
}

/** Incremental vacuum in steps; then the write-ahead log is checkpointed and truncated where no reader holds it. */
async function releaseFreePages(store: Store): Promise<number> {
  if (autoVacuumMode(store) !== 'incremental') return 0;
  const free = () => store.sqlite.pragma('freelist_count', { simple: true }) as number;
  const before = free();
  while (free() > 0) {
    const left = free();
    store.sqlite.pragma(`incremental_vacuum(${VACUUM_STEP_PAGES})`);
    if (free() >= left) break;
    await yieldToEvents();
  }
  store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  return before - free();
}
