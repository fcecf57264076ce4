// The naive baseline (baseline.ts) in a fresh process, so its peak RSS is its own: syncs the
// simulator at argv[2] into a temp SQLite file (deleted afterwards) and prints one JSON line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBaseline } from './baseline.ts';

const url = process.argv[2]!;
const dir = mkdtempSync(join(tmpdir(), 'jira-mirror-baseline-'));
try {
  const result = await runBaseline({
    url,
    email: process.env.BENCH_EMAIL ?? 'demo@example.com',
    token: process.env.BENCH_TOKEN ?? 'demo-token',
    dbFile: join(dir, 'baseline.db'),
  });
  const cpu = process.cpuUsage();
  process.stdout.write(
    `${JSON.stringify({
      kind: 'baseline',
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
