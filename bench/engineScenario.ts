// One engine scenario in a fresh process (so the process's peak RSS belongs to this scenario alone):
// syncs the simulator at argv[2] with the config in argv[3], samples how fast history reads answer
// while the sync runs, and prints one JSON line of results.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBackend } from '../src/service/openBackend.ts';
import type { PerformanceConfig, RunDetail } from '../src/shared/model.ts';
import { getPerformanceConfig, savePerformanceConfig } from '../src/store/config.ts';
import { addInstance } from '../src/store/instances.ts';

const url = process.argv[2]!;
const overrides = JSON.parse(process.argv[3] ?? '{}') as Partial<PerformanceConfig>;
const dir = mkdtempSync(join(tmpdir(), 'jira-mirror-bench-'));
const backend = openBackend({ dbFile: join(dir, 'bench.db'), initiator: 'cli', env: { BENCH_TOKEN: 'demo-token' } });
try {
  addInstance(backend.store, {
    name: 'bench',
    url,
    flavor: 'cloud',
    email: 'demo@example.com',
    credential: 'env',
    tokenEnv: 'BENCH_TOKEN',
  });
  savePerformanceConfig(backend.store, { ...getPerformanceConfig(backend.store), ...overrides }, 'bench');

  const started = performance.now();
  const result = await backend.dispatch('startSync', {});
  if (!result.ok) throw new Error(result.error.message);
  const runId = (result.data as { runId: string }).runId;
  // What a user clicking around the history while the sync runs at full speed would wait.
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
  const detail = (await backend.dispatch('getRun', { id: runId })) as { ok: true; data: RunDetail };
  const projects = detail.data.projects;
  readLatencies.sort((a, b) => a - b);
  const pick = (p: number) => Math.round(readLatencies[Math.min(readLatencies.length - 1, Math.ceil(p * readLatencies.length) - 1)] ?? 0);
  process.stdout.write(
    `${JSON.stringify({
      status: run.status,
      issues: run.totalIssues,
      seconds,
      issuesPerSecond: run.totalIssues / seconds,
      // The two setup calls (/myself, project list) are not recorded per project.
      apiCalls: projects.reduce((n, p) => n + p.apiCalls, 0) + 2,
      retries: projects.reduce((n, p) => n + p.retries, 0),
      peakRssMb: (process.resourceUsage().maxRSS * 1024) / 1_048_576,
      // CPU of this process (all its threads) during the run.
      cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
      engineSampledPeakRssMb: (detail.data.peakRssBytes ?? 0) / 1_048_576,
      phases: {
        waitS: projects.reduce((n, p) => n + (p.waitMs ?? 0), 0) / 1000,
        parseS: projects.reduce((n, p) => n + (p.parseMs ?? 0), 0) / 1000,
        writeS: projects.reduce((n, p) => n + (p.writeMs ?? 0), 0) / 1000,
      },
      readDuringSyncMs: { samples: readLatencies.length, p50: pick(0.5), p95: pick(0.95), max: pick(1) },
    })}\n`,
  );
} finally {
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
}
