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
import { pruneCells } from './analyticsCells.ts';
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

/**
 * What may go: rows older than the cutoff and before the summaries' watermark. A detail or sample
 * is never older than its run, so one from before the watermark belongs to a summarized run.
 */
const PRUNABLE = {
  runs: `FROM sync_runs WHERE started_at < @cutoff AND started_at < @until AND status <> 'running'`,
  projectDetails: `FROM sync_project_details WHERE started_at < @cutoff AND started_at < @until`,
  metricSamples: `FROM sync_performance_metrics WHERE recorded_at < @cutoff AND recorded_at < @until`,
  growthSamples: `FROM database_growth WHERE recorded_at < @cutoff AND recorded_at < @until`,
  webhookDeliveries: `FROM webhook_deliveries WHERE state <> 'pending' AND created_at < @cutoff`,
};

const KEYS = { runs: 'sync_id', projectDetails: 'id', metricSamples: 'id', growthSamples: 'sync_id', webhookDeliveries: 'id' };
const TABLES = {
  runs: 'sync_runs',
  projectDetails: 'sync_project_details',
  metricSamples: 'sync_performance_metrics',
  growthSamples: 'database_growth',
  webhookDeliveries: 'webhook_deliveries',
};

// Details and samples first, runs last: a run's rows are gone before the run is.
const ORDER = ['projectDetails', 'metricSamples', 'webhookDeliveries', 'growthSamples', 'runs'] as const;
const COUNTS = Object.fromEntries(ORDER.map((t) => [t, `SELECT COUNT(*) AS n ${PRUNABLE[t]}`])) as Record<Target, string>;
const DELETES = Object.fromEntries(
  ORDER.map((t) => [t, `DELETE FROM ${TABLES[t]} WHERE ${KEYS[t]} IN (SELECT ${KEYS[t]} ${PRUNABLE[t]} LIMIT ${BATCH})`]),
) as Record<Target, string>;

type Target = keyof typeof PRUNABLE;
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
  for (const target of ORDER) {
    const { n } = store.statement(COUNTS[target]).get(params(target)) as { n: number };
    removed[target] = n;
  }
  const { n: keptUnsummarized } = store
    .statement(`SELECT COUNT(*) AS n FROM sync_runs WHERE started_at < @cutoff AND (started_at >= @until OR status = 'running')`)
    .get({ cutoff: cutoffs.details, until }) as { n: number };
  let pagesReleased = 0;
  if (!options.dryRun) {
    for (const target of ORDER) await deleteInBatches(store, DELETES[target], params(target));
    pruneCells(store);
    if (Object.values(removed).some((n) => n > 0)) pagesReleased = await releaseFreePages(store);
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

/**
 * Incremental vacuum in steps, then a passive checkpoint: it copies what it can into the file without
 * waiting for a sync that is writing (a TRUNCATE checkpoint would wait for it, on the UI's thread).
 */
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
  store.sqlite.pragma('wal_checkpoint(PASSIVE)');
  return before - free();
}
