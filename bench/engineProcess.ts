// One engine scenario in a fresh process, so the process-lifetime peak RSS (maxRSS, which covers the
// engine's worker threads) belongs to this scenario alone. Syncs the simulator at argv[2] with the
// performance overrides in argv[3] into a temp database (deleted afterwards), samples how fast
// history reads answer meanwhile (what a user clicking around during a sync waits), and prints one
// JSON line of results. The API token comes from the environment (credential 'env', BENCH_TOKEN).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pageThreadEnabled } from '../src/engine/pageThread.ts';
import { openBackend } from '../src/service/openBackend.ts';
import type { PerformanceConfig, RunDetail } from '../src/shared/model.ts';
import { getPerformanceConfig, savePerformanceConfig } from '../src/store/config.ts';
import { addInstance } from '../src/store/instances.ts';

const url = process.argv[2]!;
const overrides = JSON.parse(process.argv[3] ?? '{}') as Partial<PerformanceConfig>;
const dir = mkdtempSync(join(tmpdir(), 'jira-mirror-bench-'));
const backend = openBackend({ dbFile: join(dir, 'bench.db'), initiator: 'cli', env: process.env });
try {
  addInstance(backend.store, {
    name: 'bench',
    url,
    flavor: 'cloud',
    email: process.env.BENCH_EMAIL ?? 'demo@example.com',
    credential: 'env',
    tokenEnv: 'BENCH_TOKEN',
  });
  const config = savePerformanceConfig(backend.store, { ...getPerformanceConfig(backend.store), ...overrides }, 'bench');
  const cpuBefore = process.cpuUsage();

  const started = performance.now();
  const result = await backend.dispatch('startSync', {});
  if (!result.ok) throw new Error(`startSync: ${result.error.message}`);
  const runId = (result.data as { runId: string }).runId;
  const readLatencies: number[] = [];
  let syncing = true;
  const reads = (async () => {
    while (syncing) {
      const t = performance.now();
      await backend.dispatch('listRuns', { limit: 25 });
      await backend.dispatch('getStats', { days: 30 });
      readLatencies.push(performance.now() - t);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  const run = await backend.waitForRun(runId);
  const seconds = (performance.now() - started) / 1000;
  syncing = false;
  await reads;
  const cpu = process.cpuUsage(cpuBefore);

  const detail = await backend.dispatch('getRun', { id: runId });
  if (!detail.ok) throw new Error(`getRun: ${detail.error.message}`);
  const { projects, peakRssBytes } = detail.data as RunDetail;
  const sqlite = backend.store.sqlite;
  const sampledRss = sqlite
    .prepare(`SELECT MAX(value) AS peak, COUNT(*) AS samples FROM sync_performance_metrics WHERE sync_id = ? AND metric = 'rss_bytes'`)
    .get(runId) as { peak: number | null; samples: number };
  const rowsInDb = (sqlite.prepare('SELECT COUNT(*) AS n FROM issues WHERE deleted_at IS NULL').get() as { n: number }).n;
  readLatencies.sort((a, b) => a - b);
  const pick = (p: number) => Math.round(readLatencies[Math.min(readLatencies.length - 1, Math.ceil(p * readLatencies.length) - 1)] ?? 0);
  const sum = (f: (p: RunDetail['projects'][number]) => number | null) => projects.reduce((n, p) => n + (f(p) ?? 0), 0);
  process.stdout.write(
    `${JSON.stringify({
      kind: 'engine',
      status: run.status,
      errorMessage: run.errorMessage,
      issues: run.totalIssues,
      rowsInDb,
      seconds,
      // Per project only: the run's three setup calls (/myself, project list, serverInfo) are not recorded per project.
      apiCalls: sum((p) => p.apiCalls),
      retries: sum((p) => p.retries),
      rateLimited: sum((p) => p.rateLimited),
      pages: sum((p) => p.pages),
      latencyP50Ms: Math.max(...projects.map((p) => p.latencyP50Ms ?? 0)),
      peakRssMb: (process.resourceUsage().maxRSS * 1024) / 1_048_576,
      sampledPeakRssMb: sampledRss.peak === null ? null : sampledRss.peak / 1_048_576,
      rssSamples: sampledRss.samples,
      runPeakRssMb: peakRssBytes === null ? null : peakRssBytes / 1_048_576,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      processCpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
      pageThread: pageThreadEnabled(),
      config: { batchSize: config.batchSize, maxWorkers: config.maxWorkers, connectionPoolSize: config.connectionPoolSize },
      phases: { waitS: sum((p) => p.waitMs) / 1000, parseS: sum((p) => p.parseMs) / 1000, writeS: sum((p) => p.writeMs) / 1000 },
      readDuringSyncMs: { samples: readLatencies.length, p50: pick(0.5), p95: pick(0.95), max: pick(1) },
    })}\n`,
  );
} finally {
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
}
