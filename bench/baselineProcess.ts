// A client to compare the engine with, in a fresh process so that its peak RSS is its own: the naive
// baseline (baseline.ts: syncs the simulator at argv[2] into a temp SQLite file, deleted afterwards)
// or, with argv[3] `reference` and the project keys in argv[4], the bare concurrent client
// (reference.ts: reads every page, stores nothing). Prints one JSON line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBaseline } from './baseline.ts';
import { runReference } from './reference.ts';

const url = process.argv[2]!;
const kind = process.argv[3] === 'reference' ? 'reference' : 'baseline';
const dir = mkdtempSync(join(tmpdir(), 'jira-mirror-baseline-'));
try {
  const options = {
    url,
    email: process.env.BENCH_EMAIL ?? 'demo@example.com',
    token: process.env.BENCH_TOKEN ?? 'demo-token',
    dbFile: join(dir, 'baseline.db'),
  };
  const result =
    kind === 'reference'
      ? { ...(await runReference({ ...options, projectKeys: (process.argv[4] ?? '').split(',') })), journalMode: null, rowsInDb: null }
      : await runBaseline(options);
  const cpu = process.cpuUsage();
  process.stdout.write(
    `${JSON.stringify({
      kind,
      status: 'completed',
      issues: result.issues,
      rowsInDb: result.rowsInDb,
      seconds: result.seconds,
      apiCalls: result.apiCalls,
      retries: 0,
      journalMode: result.journalMode,
      peakRssMb: (process.resourceUsage().maxRSS * 1024) / 1_048_576,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      processCpuSeconds: (cpu.user + cpu.system) / 1e6,
    })}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
