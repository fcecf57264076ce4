/**
 * The operations reads and the retention pass over a long history: OPS_RUNS runs (default
 * 100,000 × BENCH_SCALE, one every 5 minutes — about a year of a busy schedule — 3 projects each,
 * with samples and growth), written into a fresh SQLite file, then timed in this process:
 *
 * - the history page (`listRuns`, first page; a page 50,000 deep; a status filter) and getStats;
 * - a year of daily trends (`getDailySummaries`), the per-project days of a month, a metrics scrape;
 * - `retention apply` (default policy) as a dry run and for real, and the same reads after it.
 *
 * Each read runs 30 times; p50 / p95 / max are printed. Target from issue 10: the history page ≤ 10 ms.
 *
 *   node bench/ops.ts        # OPS_RUNS=20000 for a quick look
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metricsText } from '../src/ops/metrics.ts';
import { DEFAULT_RETENTION_POLICY } from '../src/shared/operations.ts';
import { openStore } from '../src/store/db.ts';
import { applyRetention } from '../src/store/retention.ts';
import { getStatsSummary, getSyncHistory } from '../src/store/runHistory.ts';
import { getDailySummaries, getProjectDays } from '../src/store/summaries.ts';
import { seedHistory } from '../tests/helpers/seedHistory.ts';
import { time, type Timing } from './timing.ts';

const RUNS = Number(process.env.OPS_RUNS ?? Math.round(100_000 * Number(process.env.BENCH_SCALE ?? 1)));
if (!Number.isInteger(RUNS) || RUNS < 100) throw new Error('OPS_RUNS must be an integer ≥ 100');
const INTERVAL_MS = 5 * 60_000;
const HISTORY_TARGET_MS = 10;

const dir = mkdtempSync(join(tmpdir(), 'jira-mirror-bench-ops-'));
const store = openStore({ file: join(dir, 'ops.db') });
const nowMs = Date.now();
const startMs = nowMs - RUNS * INTERVAL_MS;
const seedStarted = performance.now();
seedHistory(store, { startMs, runs: RUNS, intervalMs: INTERVAL_MS, samplesPerRun: 2 });
console.log(
  `Operations bench: ${RUNS.toLocaleString('en-US')} runs (every 5 min, 3 projects each), seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`,
);

const year = { from: new Date(nowMs - 365 * 86_400_000).toISOString(), to: new Date(nowMs).toISOString() };
const month = { from: new Date(nowMs - 30 * 86_400_000).toISOString(), to: year.to };
const zone = 'UTC';

async function reads(label: string): Promise<Timing[]> {
  return [
    await time(`${label}: history page 1 (listRuns)`, () => getSyncHistory(store, { limit: 50 })),
    await time(`${label}: history page at offset 50,000`, () => getSyncHistory(store, { limit: 50, offset: Math.min(50_000, RUNS - 50) })),
    await time(`${label}: history, status = failed`, () => getSyncHistory(store, { limit: 50, status: 'failed' })),
    await time(`${label}: getStats (30 days)`, () => getStatsSummary(store, 30, nowMs)),
    await time(`${label}: daily summaries, one year`, () => getDailySummaries(store, zone, year.from, year.to)),
    await time(`${label}: project days, one month`, () => getProjectDays(store, zone, month.from, month.to)),
    await time(`${label}: metrics scrape`, () => metricsText(store)),
  ];
}

const before = await reads('before retention');
const policy = { ...DEFAULT_RETENTION_POLICY, timeZone: zone };
let started = performance.now();
const dry = await applyRetention(store, policy, { dryRun: true, nowMs });
const dryMs = performance.now() - started;
started = performance.now();
const applied = await applyRetention(store, policy, { dryRun: false, nowMs });
const appliedMs = performance.now() - started;
started = performance.now();
await applyRetention(store, policy, { dryRun: false, nowMs: nowMs + 3_600_000 });
const nextMs = performance.now() - started;
const after = await reads('after retention');

const ms = (n: number) => `${n.toFixed(1)} ms`;
console.log('\n| read | p50 | p95 | max |\n| --- | --- | --- | --- |');
for (const t of [...before, ...after]) console.log(`| ${t.name} | ${ms(t.p50)} | ${ms(t.p95)} | ${ms(t.max)} |`);
console.log(
  `\nRetention (details and samples 30 days, runs 365 days): dry run ${ms(dryMs)}; first pass ${(appliedMs / 1000).toFixed(1)} s ` +
    `(${applied.daysSummarized} days summarized; removed ${applied.removed.runs} runs, ${applied.removed.projectDetails} project details, ` +
    `${applied.removed.metricSamples} samples; ${applied.database.pagesReleased} pages given back, ` +
    `${(applied.database.bytesBefore / 1_048_576).toFixed(0)} → ${(applied.database.bytesAfter / 1_048_576).toFixed(0)} MB); ` +
    `the pass after the next sync ${ms(nextMs)}.`,
);
if (dry.removed.projectDetails !== applied.removed.projectDetails) throw new Error('the dry run and the pass disagree');
for (const [label, timings] of [
  ['before the first retention pass', before],
  ['after it', after],
] as const) {
  const page = timings.find((t) => t.name.includes('history page 1'))!;
  const verdict = page.p95 <= HISTORY_TARGET_MS ? 'met' : 'NOT met';
  console.log(
    `History page 1 over ${RUNS.toLocaleString('en-US')} runs ${label}: p50 ${ms(page.p50)}, p95 ${ms(page.p95)} (target p95 ≤ ${HISTORY_TARGET_MS} ms: ${verdict}).`,
  );
}
store.close();
rmSync(dir, { recursive: true, force: true });
