/**
 * `npm run bench`: the sync engine against the Jira simulator over real HTTP, beside a naive baseline,
 * all in one run (the machine is shared and noisy: compare the ratios, not the absolute figures).
 *
 * Every scenario runs the simulator and the engine in two fresh processes, so the engine's peak RSS
 * is its own. BENCH_SCALE scales every data set (e.g. BENCH_SCALE=0.1 for a quick look).
 * Results: printed, and written to bench/results.json and bench/RESULTS.md (quoted by the README).
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import type { PerformanceConfig } from '../src/shared/model.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? '1');
const here = (file: string) => new URL(file, import.meta.url).pathname;

interface Result {
  status: string;
  issues: number;
  seconds: number;
  issuesPerSecond: number;
  apiCalls: number;
  retries: number;
  peakRssMb: number;
  cpuSeconds: number;
  /** CPU the simulator process spent serving this scenario (Linux /proc; null elsewhere). */
  simulatorCpuSeconds?: number | null;
  phases?: { waitS: number; parseS: number; writeS: number };
  readDuringSyncMs?: { samples: number; p50: number; p95: number; max: number };
}

interface Scenario {
  name: string;
  projects: Array<{ key: string; issues: number }>;
  latencyMs: number;
  runner: 'engine' | 'baseline';
  config?: Partial<PerformanceConfig>;
  env?: Record<string, string>;
}

const equal = (count: number, each: number) =>
  Array.from({ length: count }, (_, i) => ({ key: `P${String.fromCharCode(65 + i)}`, issues: Math.round(each * SCALE) }));
const ENGINE: Partial<PerformanceConfig> = { batchSize: 100, maxWorkers: 8, connectionPoolSize: 10, rateLimitPause: 0 };

const scenarios: Scenario[] = [
  { name: '150 ms, 8 equal projects', projects: equal(8, 5000), latencyMs: 150, runner: 'engine', config: ENGINE },
  {
    name: '150 ms, one project holds all',
    projects: [{ key: 'GIANT', issues: Math.round(40_000 * SCALE) }],
    latencyMs: 150,
    runner: 'engine',
    config: ENGINE,
  },
  { name: '150 ms, baseline (sequential, 50/page, insert per issue)', projects: equal(8, 500), latencyMs: 150, runner: 'baseline' },
  { name: '150 ms, engine on the baseline data', projects: equal(8, 500), latencyMs: 150, runner: 'engine', config: ENGINE },
  { name: '0 ms, baseline', projects: equal(8, 2500), latencyMs: 0, runner: 'baseline' },
  { name: '0 ms, engine on the baseline data', projects: equal(8, 2500), latencyMs: 0, runner: 'engine', config: ENGINE },
  {
    name: '0 ms, same, pages parsed on 1 extra thread',
    projects: equal(8, 2500),
    latencyMs: 0,
    runner: 'engine',
    config: ENGINE,
    env: { JIRA_MIRROR_PARSE_THREADS: '1' },
  },
  { name: '0 ms, 200,000 issues (throughput, peak RSS)', projects: equal(8, 25_000), latencyMs: 0, runner: 'engine', config: ENGINE },
];

function lineOf(child: ReturnType<typeof spawn>): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`process exited (${code}) before printing a result`)));
  });
}

/** utime + stime of a live process, from /proc (Linux). */
function cpuSecondsOf(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

async function runScenario(scenario: Scenario): Promise<Result> {
  const simulator = spawn(
    process.execPath,
    [
      here('./simulatorProcess.ts'),
      JSON.stringify({ flavor: 'cloud', projects: scenario.projects, latencyMs: scenario.latencyMs, seed: 7 }),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const url = await lineOf(simulator);
    const args =
      scenario.runner === 'engine'
        ? [here('./engineScenario.ts'), url, JSON.stringify(scenario.config ?? {})]
        : [here('./baseline.ts'), url];
    const runner = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...scenario.env } });
    const result = JSON.parse(await lineOf(runner)) as Result;
    result.simulatorCpuSeconds = cpuSecondsOf(simulator.pid);
    const expected = scenario.projects.reduce((n, p) => n + p.issues, 0);
    if (result.status !== 'completed' || result.issues !== expected) {
      throw new Error(`${scenario.name}: expected a completed run of ${expected} issues, got ${result.status} with ${result.issues}`);
    }
    return result;
  } finally {
    simulator.kill('SIGTERM');
  }
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const results: Array<{ scenario: Scenario; result: Result; bound: number | null }> = [];
console.log(`Jira Mirror benchmark — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, scale ${SCALE}\n`);
for (const scenario of scenarios) {
  const result = await runScenario(scenario);
  const config = { ...ENGINE, ...scenario.config };
  // The best a paged client can do: every worker always waiting on one full page.
  const bound =
    scenario.runner === 'engine' && scenario.latencyMs > 0
      ? (config.maxWorkers! * Math.min(config.batchSize!, 100)) / (scenario.latencyMs / 1000)
      : null;
  results.push({ scenario, result, bound });
  console.log(
    `${scenario.name.padEnd(58)} ${fmt(result.issues).padStart(8)} issues ${fmt(result.seconds, 1).padStart(6)} s ${fmt(result.issuesPerSecond).padStart(7)}/s` +
      `${bound ? ` (${fmt((100 * result.issuesPerSecond) / bound)} % of bound)` : ''}  calls ${result.apiCalls}, retries ${result.retries}, peak RSS ${fmt(result.peakRssMb)} MB,` +
      ` CPU ${fmt(result.cpuSeconds, 1)} s (simulator ${result.simulatorCpuSeconds === null || result.simulatorCpuSeconds === undefined ? '?' : fmt(result.simulatorCpuSeconds, 1)} s)`,
  );
}

const byName = (name: string) => results.find((r) => r.scenario.name === name)!.result;
const ratio150 =
  byName('150 ms, engine on the baseline data').issuesPerSecond /
  byName('150 ms, baseline (sequential, 50/page, insert per issue)').issuesPerSecond;
const ratio0 = byName('0 ms, engine on the baseline data').issuesPerSecond / byName('0 ms, baseline').issuesPerSecond;
const big = byName('0 ms, 200,000 issues (throughput, peak RSS)');
console.log(`\nengine ÷ baseline: ${fmt(ratio150, 1)}× at 150 ms, ${fmt(ratio0, 1)}× at 0 ms`);
if (big.phases)
  console.log(
    `200k run, summed over projects: wait ${fmt(big.phases.waitS, 1)} s, parse ${fmt(big.phases.parseS, 1)} s, write ${fmt(big.phases.writeS, 1)} s`,
  );
if (big.readDuringSyncMs) {
  const r = big.readDuringSyncMs;
  console.log(
    `history reads (listRuns + getStats) during the 200k sync: p50 ${r.p50} ms, p95 ${r.p95} ms, max ${r.max} ms over ${r.samples} samples`,
  );
}

const date = new Date().toISOString().slice(0, 10);
writeFileSync(
  here('./results.json'),
  `${JSON.stringify({ date, cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, scale: SCALE, results: results.map((r) => ({ name: r.scenario.name, bound: r.bound, ...r.result })), ratio150, ratio0 }, null, 2)}\n`,
);
const rows = results.map(
  ({ scenario, result, bound }) =>
    `| ${scenario.name} | ${fmt(result.issues)} | ${fmt(result.seconds, 1)} s | ${fmt(result.issuesPerSecond)} | ${bound ? `${fmt((100 * result.issuesPerSecond) / bound)} %` : '–'} | ${result.apiCalls} | ${result.retries} | ${fmt(result.peakRssMb)} MB | ${fmt(result.cpuSeconds, 1)} s / ${result.simulatorCpuSeconds == null ? '?' : fmt(result.simulatorCpuSeconds, 1)} s |`,
);
writeFileSync(
  here('./RESULTS.md'),
  [
    `Measured ${date} on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, \`npm run bench\` (scale ${SCALE}).`,
    '',
    '| scenario | issues | time | issues/s | of bound | API calls | retries | peak RSS | CPU client / simulator |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `Engine ÷ naive baseline on the same data: **${fmt(ratio150, 1)}×** at 150 ms latency, **${fmt(ratio0, 1)}×** at zero latency.`,
    big.readDuringSyncMs
      ? `History reads (listRuns + getStats) while the 200k sync runs: p50 ${big.readDuringSyncMs.p50} ms, p95 ${big.readDuringSyncMs.p95} ms, max ${big.readDuringSyncMs.max} ms.`
      : '',
    big.phases
      ? `Where the 200k sync's time went (summed over projects): waiting for Jira ${fmt(big.phases.waitS, 1)} s, parsing ${fmt(big.phases.parseS, 1)} s, writing ${fmt(big.phases.writeS, 1)} s.`
      : '',
    '',
  ].join('\n'),
);
