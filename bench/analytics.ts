/**
 * The analytics over a long history: ANALYTICS_RUNS runs (default 100,000 × BENCH_SCALE, hourly,
 * 3 projects each — the patterned history of tests/helpers/analyticsHistory.ts), written into a
 * fresh SQLite file (with the monthly and yearly cells each run's finalize would have written), then
 * every analytics call timed in this process over the default 30 days, a year and the whole history; the anomaly detection after one run; the history page. Prints
 * p50 / p95 / max against the targets (analytics ≤ 100 ms, history page ≤ 10 ms) and the
 * prediction's mean absolute percentage error.
 *
 *   node bench/analytics.ts        # ANALYTICS_RUNS=20000 for a quick look
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectAnomalies, listAnomalies } from '../src/analytics/anomalies.ts';
import { getBestTime } from '../src/analytics/bestTime.ts';
import { getFailurePatterns } from '../src/analytics/failurePatterns.ts';
import { getHealth } from '../src/analytics/health.ts';
import { predictDuration } from '../src/analytics/prediction.ts';
import { currentRecommendations } from '../src/service/handlers/analytics.ts';
import { writeCells } from '../src/store/analyticsCells.ts';
import { getPerformanceConfig } from '../src/store/config.ts';
import { openStore } from '../src/store/db.ts';
import { getSyncHistory } from '../src/store/runHistory.ts';
import { HOUR_MS, seedAnalyticsHistory } from '../tests/helpers/analyticsHistory.ts';
import { time, type Timing } from './timing.ts';

const RUNS = Number(process.env.ANALYTICS_RUNS ?? Math.round(100_000 * Number(process.env.BENCH_SCALE ?? 1)));
if (!Number.isInteger(RUNS) || RUNS < 1000) throw new Error('ANALYTICS_RUNS must be an integer ≥ 1000');
const ANALYTICS_TARGET_MS = 100;
const HISTORY_TARGET_MS = 10;
/** Runs replayed through the anomaly detection before it is timed (a baseline needs history). */
const DETECTED = 300;

const dir = mkdtempSync(join(tmpdir(), 'jira-mirror-bench-analytics-'));
const store = openStore({ file: join(dir, 'analytics.db') });
const nowMs = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
const seedStarted = performance.now();
const runs = seedAnalyticsHistory(store, { runs: RUNS, startMs: nowMs - RUNS * HOUR_MS });
const seededS = (performance.now() - seedStarted) / 1000;
// Each run's finalize writes the months that are over; the seed wrote rows directly, so catch up at once.
const cellsStarted = performance.now();
const months = writeCells(store, nowMs, Infinity);
console.log(
  `Analytics bench: ${RUNS.toLocaleString('en-US')} runs (hourly, 3 projects each), seeded in ${seededS.toFixed(1)} s; ` +
    `cells of ${months} months written in ${((performance.now() - cellsStarted) / 1000).toFixed(2)} s`,
);
const started = performance.now();
for (const run of runs.slice(-DETECTED - 1, -1)) detectAnomalies(store, run.id, Date.parse(run.startedAt) + run.durationMs);
const replayMs = performance.now() - started;

const config = getPerformanceConfig(store);
const timings: Timing[] = [];
const totalDays = Math.ceil(RUNS / 24) + 1;
for (const days of [30, 365, Math.min(3650, totalDays)]) {
  const scope = { days, utcOffsetMinutes: 60 };
  const label = `${days} days`;
  timings.push(
    await time(`getHealth, ${label}`, () => getHealth(store, scope, nowMs)),
    await time(`getFailurePatterns, ${label}`, () => getFailurePatterns(store, scope, nowMs)),
    await time(`getBestTime, ${label}`, () => getBestTime(store, scope, nowMs)),
    await time(`predictDuration, ${label}`, () => predictDuration(store, scope, nowMs, config)),
    await time(`listAnomalies, ${label}`, () => listAnomalies(store, scope, nowMs)),
  );
}
timings.push(await time('getRecommendations', () => currentRecommendations(store, null)));
const last = runs.at(-1)!;
// Judging the same run again is a no-op after the first time: time the judging itself on fresh series.
timings.push(
  await time(
    'anomaly detection after one run',
    () => {
      store.sqlite.prepare(`UPDATE anomaly_series SET last_run_id = 'bench'`).run();
      return detectAnomalies(store, last.id, nowMs);
    },
    30,
  ),
);
const page = await time('history page 1 (listRuns)', () => getSyncHistory(store, { limit: 50 }));

const ms = (n: number) => `${n.toFixed(1)} ms`;
console.log('\n| call | p50 | p95 | max | target |\n| --- | --- | --- | --- | --- |');
for (const t of timings) {
  console.log(`| ${t.name} | ${ms(t.p50)} | ${ms(t.p95)} | ${ms(t.max)} | ${t.p95 <= ANALYTICS_TARGET_MS ? 'met' : 'NOT met'} |`);
}
console.log(
  `| ${page.name} | ${ms(page.p50)} | ${ms(page.p95)} | ${ms(page.max)} | ${page.p95 <= HISTORY_TARGET_MS ? 'met' : 'NOT met'} |`,
);
const { accuracy } = predictDuration(store, { days: 30, utcOffsetMinutes: 0 }, nowMs, config);
const missed = timings.filter((t) => t.p95 > ANALYTICS_TARGET_MS).map((t) => t.name);
console.log(
  `\nAnalytics calls ≤ ${ANALYTICS_TARGET_MS} ms at p95: ${missed.length === 0 ? 'met by every call' : `NOT met by ${missed.join(', ')}`}. ` +
    `History page 1: p95 ${ms(page.p95)} (target ${HISTORY_TARGET_MS} ms: ${page.p95 <= HISTORY_TARGET_MS ? 'met' : 'NOT met'}). ` +
    `Prediction MAPE over the last ${accuracy.syncs} project syncs: ${accuracy.mape === null ? '-' : `${(accuracy.mape * 100).toFixed(1)} %`}. ` +
    `Anomaly detection replayed over ${DETECTED} runs in ${(replayMs / 1000).toFixed(1)} s (${ms(replayMs / DETECTED)} per run).`,
);
store.close();
rmSync(dir, { recursive: true, force: true });
