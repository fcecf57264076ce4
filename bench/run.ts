/**
 * `npm run bench` — the sync engine against the Jira simulator over real HTTP, beside a naive
 * baseline, every scenario in ONE run (the machine is shared and noisy: compare the ratios measured
 * side by side, not absolute figures from different runs).
 *
 * Method
 * - Each scenario starts two fresh child processes: the simulator (simulatorProcess.ts, which prints
 *   its URL first) and the client (engineProcess.ts or baselineProcess.ts, which prints one JSON line).
 *   The simulator's CPU and memory therefore never count against the client, and the client's peak
 *   RSS (`process.resourceUsage().maxRSS`, a process-lifetime high-water mark covering worker
 *   threads) belongs to that scenario alone. The engine's own sampled peak (`rss_bytes` in
 *   sync_performance_metrics) is reported beside it.
 * - Time is wall clock from `startSync` to the run's completion; issues/s = run.totalIssues ÷ time.
 *   A scenario fails the bench loudly unless the run is `completed` and both the run's total and the
 *   rows in the database equal the simulator's issue count (`GET /_sim/issue-count`). API calls are
 *   cross-checked against the simulator's own count (`GET /_sim/stats`).
 * - The bound of a latency scenario is `max_workers × batch_size ÷ latency` (8 × 100 ÷ 0.15 s =
 *   5,333 issues/s): every worker always waiting on one full page.
 * - The baseline (baseline.ts) is what a user would script: sequential, 50 per page, fields
 *   *navigable, an autocommit INSERT OR REPLACE per issue, default SQLite settings, plain fetch.
 *   It runs on smaller data sets (it is slow); the engine also runs on exactly those data sets.
 * - Fresh temp databases (os.tmpdir()) per scenario, deleted afterwards. The token goes through the
 *   environment (credential 'env', BENCH_TOKEN), random per bench run.
 *
 * Environment: BENCH_SCALE (default 1; 0.1 for a quick look) scales every data set;
 * BENCH_BASELINE_SCALE overrides it for the baseline's data sets; BENCH_LATENCY_MS (default 150);
 * BENCH_ONLY=id,id runs only those scenarios (ids in the table); BENCH_CPU_PROF=dir writes a V8 CPU
 * profile of every engine child (all threads) under dir/<id>/ — summarize with
 * `node bench/profile.ts dir/<id>`.
 * Output: the table on stdout, bench/results.json (figures + machine), bench/RESULTS.md (for the README).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { PerformanceConfig } from '../src/shared/model.ts';
import type { SimulatorOptions, SimulatorStats } from '../src/simulator/index.ts';

const num = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number`);
  return value;
};
const SCALE = num('BENCH_SCALE', 1);
const BASELINE_SCALE = num('BENCH_BASELINE_SCALE', SCALE);
const LATENCY_MS = num('BENCH_LATENCY_MS', 150);
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((s) => s.trim())) : null;
const PROFILE_DIR = process.env.BENCH_CPU_PROF || null;
const EMAIL = 'bench@example.com';
const TOKEN = `bench-${randomBytes(12).toString('hex')}`;
const here = (file: string) => new URL(file, import.meta.url).pathname;

/** The engine settings of every engine scenario (the brief's: batch 100, 8 workers). */
const ENGINE: Partial<PerformanceConfig> = { batchSize: 100, maxWorkers: 8, connectionPoolSize: 10, rateLimitPause: 0 };
const TARGETS = { boundPercent: 90, zeroLatencyIssuesPerSecond: 15_000, peakRssMb200k: 300 };

interface Scenario {
  id: string;
  title: string;
  runner: 'engine' | 'baseline';
  projects: Array<{ key: string; issues: number }>;
  latencyMs: number;
  env?: Record<string, string>;
}

const equal = (count: number, each: number, scale = SCALE) =>
  Array.from({ length: count }, (_, i) => ({ key: `P${String.fromCharCode(65 + i)}`, issues: Math.max(1, Math.round(each * scale)) }));
const total = (s: Scenario) => s.projects.reduce((n, p) => n + p.issues, 0);
const ms = `${LATENCY_MS} ms`;

// Grouped by latency so that what is compared runs close together in time.
const ALL: Scenario[] = [
  { id: 'lat-8', title: `${ms}, 8 equal projects`, runner: 'engine', projects: equal(8, 5000), latencyMs: LATENCY_MS },
  {
    id: 'lat-1',
    title: `${ms}, 1 project holds all`,
    runner: 'engine',
    projects: [{ key: 'GIANT', issues: Math.round(40_000 * SCALE) }],
    latencyMs: LATENCY_MS,
  },
  { id: 'lat-base', title: `${ms}, naive baseline`, runner: 'baseline', projects: equal(8, 500, BASELINE_SCALE), latencyMs: LATENCY_MS },
  {
    id: 'lat-base-engine',
    title: `${ms}, engine on the baseline's data`,
    runner: 'engine',
    projects: equal(8, 500, BASELINE_SCALE),
    latencyMs: LATENCY_MS,
  },
  { id: 'zero-100k', title: '0 ms, 8 projects (throughput)', runner: 'engine', projects: equal(8, 12_500), latencyMs: 0 },
  { id: 'zero-base', title: '0 ms, naive baseline', runner: 'baseline', projects: equal(8, 2500, BASELINE_SCALE), latencyMs: 0 },
  {
    id: 'zero-base-engine',
    title: "0 ms, engine on the baseline's data",
    runner: 'engine',
    projects: equal(8, 2500, BASELINE_SCALE),
    latencyMs: 0,
  },
  {
    id: 'zero-parse1',
    title: '0 ms, same, pages parsed on 1 extra thread',
    runner: 'engine',
    projects: equal(8, 2500, BASELINE_SCALE),
    latencyMs: 0,
    env: { JIRA_MIRROR_PARSE_THREADS: '1' },
  },
  { id: 'zero-200k', title: '0 ms, 200,000 issues (peak RSS)', runner: 'engine', projects: equal(8, 25_000), latencyMs: 0 },
];
const scenarios = ONLY ? ALL.filter((s) => ONLY.has(s.id)) : ALL;
if (scenarios.length === 0) throw new Error(`BENCH_ONLY matched no scenario; ids: ${ALL.map((s) => s.id).join(', ')}`);

interface ClientResult {
  kind: 'engine' | 'baseline';
  status: string;
  errorMessage?: string | null;
  issues: number;
  rowsInDb: number;
  seconds: number;
  apiCalls: number;
  retries: number;
  rateLimited?: number;
  peakRssMb: number;
  sampledPeakRssMb?: number | null;
  rssSamples?: number;
  /** CPU of the client process during the run (engine: startSync to completion; baseline: its whole life). */
  cpuSeconds: number;
  /** CPU of the client process over its whole life, start-up included. */
  processCpuSeconds: number;
  parseThreads?: number;
  journalMode?: string;
  phases?: { waitS: number; parseS: number; writeS: number };
  readDuringSyncMs?: { samples: number; p50: number; p95: number; max: number };
}

interface Measured extends ClientResult {
  id: string;
  title: string;
  latencyMs: number;
  projects: number;
  issuesPerSecond: number;
  bound: number | null;
  percentOfBound: number | null;
  /** 1-minute load average when the scenario started (includes the bench's own previous scenario). */
  loadAtStart: number;
  /** CPU seconds the whole machine spent beyond the client and the simulator during the scenario (Linux): other work sharing it. */
  otherCpuSeconds: number | null;
  /** Requests the simulator served (setup calls included), and what it reports about them. */
  simulator: {
    issueCount: number;
    requests: number;
    pagesServed: number;
    mbServed: number;
    maxOpenConnections: number;
    cpuSeconds: number | null;
  };
}

function firstLine(child: ChildProcess, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const onExit = (code: number | null, signal: string | null) =>
      reject(new Error(`${what} exited (${signal ?? code}) before printing a line`));
    child.once('exit', onExit);
    lines.once('line', (line) => {
      child.off('exit', onExit);
      resolve(line);
    });
  });
}

/** Busy CPU seconds of the whole machine so far, from /proc/stat (Linux); null elsewhere. */
function machineBusySeconds(): number | null {
  try {
    const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .map(Number);
    return (user! + nice! + system! + irq! + softirq! + steal!) / 100;
  } catch {
    return null;
  }
}

/** utime + stime of a live process, from /proc (Linux); null elsewhere. */
function cpuSecondsOf(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

async function control<T>(url: string, path: string): Promise<T> {
  const response = await fetch(`${url}/_sim/${path}`);
  if (!response.ok) throw new Error(`simulator /_sim/${path} → HTTP ${response.status}`);
  return (await response.json()) as T;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

async function runScenario(scenario: Scenario): Promise<Measured> {
  const loadAtStart = Number(loadavg()[0]!.toFixed(2));
  const simOptions: SimulatorOptions = {
    flavor: 'cloud',
    projects: scenario.projects,
    latencyMs: scenario.latencyMs,
    seed: 7,
    auth: { email: EMAIL, apiToken: TOKEN },
  };
  const simulator = spawn(process.execPath, [here('./simulatorProcess.ts'), JSON.stringify(simOptions)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let client: ChildProcess | null = null;
  try {
    const url = await firstLine(simulator, 'the simulator');
    const { count: issueCount } = await control<{ count: number }>(url, 'issue-count');
    const simCpuBefore = cpuSecondsOf(simulator.pid);
    const machineBefore = machineBusySeconds();
    const nodeArgs: string[] = [];
    if (PROFILE_DIR && scenario.runner === 'engine') {
      const dir = join(PROFILE_DIR, scenario.id);
      mkdirSync(dir, { recursive: true });
      nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
    }
    const script = scenario.runner === 'engine' ? here('./engineProcess.ts') : here('./baselineProcess.ts');
    const args = [...nodeArgs, script, url, ...(scenario.runner === 'engine' ? [JSON.stringify(ENGINE)] : [])];
    client = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...scenario.env, BENCH_EMAIL: EMAIL, BENCH_TOKEN: TOKEN },
    });
    const result = JSON.parse(await firstLine(client, `the ${scenario.runner} of ${scenario.id}`)) as ClientResult;
    await new Promise((resolve) => (client!.exitCode !== null ? resolve(null) : client!.once('exit', resolve)));
    const stats = await control<SimulatorStats>(url, 'stats');
    const simCpuAfter = cpuSecondsOf(simulator.pid);
    const machineAfter = machineBusySeconds();

    if (result.status !== 'completed' || result.issues !== issueCount || result.rowsInDb !== issueCount) {
      throw new Error(
        `${scenario.id}: expected a completed run of ${issueCount} issues (the simulator's count), got status ${result.status} ` +
          `with ${result.issues} issues and ${result.rowsInDb} rows${result.errorMessage ? `: ${result.errorMessage}` : ''}`,
      );
    }
    const issuesPerSecond = result.issues / result.seconds;
    const simulatorCpu = simCpuBefore === null || simCpuAfter === null ? null : simCpuAfter - simCpuBefore;
    // The client's close after printing is outside its own count: this overcounts others by a little.
    const otherCpuSeconds =
      machineBefore === null || machineAfter === null || simulatorCpu === null
        ? null
        : Math.max(0, machineAfter - machineBefore - simulatorCpu - result.processCpuSeconds);
    const bound =
      scenario.runner === 'engine' && scenario.latencyMs > 0
        ? (ENGINE.maxWorkers! * Math.min(ENGINE.batchSize!, 100)) / (scenario.latencyMs / 1000)
        : null;
    return {
      id: scenario.id,
      title: scenario.title,
      latencyMs: scenario.latencyMs,
      projects: scenario.projects.length,
      ...result,
      issuesPerSecond,
      bound,
      percentOfBound: bound ? (100 * issuesPerSecond) / bound : null,
      loadAtStart,
      otherCpuSeconds,
      simulator: {
        issueCount,
        requests: stats.totalRequests,
        pagesServed: stats.pagesServed,
        mbServed: stats.bytesServed / 1_048_576,
        maxOpenConnections: stats.maxOpenConnections,
        cpuSeconds: simulatorCpu,
      },
    };
  } finally {
    if (client) await stop(client);
    simulator.stdin?.end();
    await stop(simulator);
  }
}

const fmt = (n: number | null | undefined, digits = 0) =>
  n === null || n === undefined || !Number.isFinite(n)
    ? '–'
    : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Engine API calls are per project; the simulator also saw the run's 2 setup calls (/myself, project list). */
function apiCallsCell(r: Measured): string {
  const expected = r.kind === 'engine' ? r.apiCalls + 2 : r.apiCalls;
  return expected === r.simulator.requests ? fmt(expected) : `${fmt(expected)} (sim ${fmt(r.simulator.requests)})`;
}

function tableRows(results: Measured[]): string[][] {
  const header = [
    'id',
    'scenario',
    'issues',
    'time',
    'issues/s',
    'of bound',
    'API calls',
    'retries',
    'peak RSS',
    'sampled RSS',
    'CPU client / sim',
  ];
  return [
    header,
    ...results.map((r) => [
      r.id,
      r.title,
      fmt(r.issues),
      `${fmt(r.seconds, 1)} s`,
      fmt(r.issuesPerSecond),
      r.percentOfBound === null ? '–' : `${fmt(r.percentOfBound)} %`,
      apiCallsCell(r),
      fmt(r.retries),
      `${fmt(r.peakRssMb)} MB`,
      r.sampledPeakRssMb ? `${fmt(r.sampledPeakRssMb)} MB` : '–',
      `${fmt(r.cpuSeconds, 1)} s / ${fmt(r.simulator.cpuSeconds, 1)} s`,
    ]),
  ];
}

const numeric = (cell: string) => /^[\d,.–]/.test(cell);
function textTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  return rows
    .map((row) => row.map((cell, c) => (c > 1 && numeric(cell) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  '))
    .join('\n');
}
/** Padded like Prettier formats Markdown tables, so the README can quote it unchanged. */
function markdownTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(3, ...rows.map((row) => row[c]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  return [line(rows[0]!), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.slice(1).map(line)].join('\n');
}

const machine = {
  cpuModel: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  availableParallelism: availableParallelism(),
  memoryGb: Math.round(totalmem() / 2 ** 30),
  platform: `${process.platform} ${release()}`,
  node: process.version,
  loadAverageAtStart: loadavg().map((l) => Number(l.toFixed(2))),
};
const startedAt = new Date();
console.log(
  `Jira Mirror benchmark — ${machine.cores} × ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}, ` +
    `scale ${SCALE}${BASELINE_SCALE !== SCALE ? ` (baseline ${BASELINE_SCALE})` : ''}, load ${machine.loadAverageAtStart.join(' ')}`,
);
console.log(`engine: batch ${ENGINE.batchSize}, ${ENGINE.maxWorkers} workers; ${scenarios.length} scenarios, each in fresh processes\n`);

const results: Measured[] = [];
for (const scenario of scenarios) {
  process.stdout.write(`${scenario.id.padEnd(17)} ${scenario.title} — ${fmt(total(scenario))} issues… `);
  const r = await runScenario(scenario);
  results.push(r);
  console.log(
    `${fmt(r.seconds, 1)} s, ${fmt(r.issuesPerSecond)}/s${r.percentOfBound === null ? '' : ` (${fmt(r.percentOfBound)} % of bound)`}, ` +
      `peak RSS ${fmt(r.peakRssMb)} MB${r.otherCpuSeconds !== null && r.otherCpuSeconds > 0.1 * r.seconds * machine.cores ? ` (other processes used ${fmt(r.otherCpuSeconds, 1)} CPU s meanwhile: noisy)` : ''}`,
  );
}
const totalSeconds = (Date.now() - startedAt.getTime()) / 1000;

const find = (id: string) => results.find((r) => r.id === id) ?? null;
const ratio = (a: Measured | null, b: Measured | null) => (a && b ? a.issuesPerSecond / b.issuesPerSecond : null);
const ratios = {
  latency: {
    latencyMs: LATENCY_MS,
    engineVsBaseline: ratio(find('lat-8'), find('lat-base')),
    sameData: ratio(find('lat-base-engine'), find('lat-base')),
  },
  zero: {
    latencyMs: 0,
    engineVsBaseline: ratio(find('zero-100k'), find('zero-base')),
    sameData: ratio(find('zero-base-engine'), find('zero-base')),
  },
};
const big = find('zero-200k');
const lat8 = find('lat-8');
const lat1 = find('lat-1');
const zero = find('zero-100k');
const met = (ok: boolean) => (ok ? 'met' : 'NOT met');

const notes: string[] = [];
if (ratios.latency.engineVsBaseline !== null)
  notes.push(
    `Engine ÷ naive baseline at ${LATENCY_MS} ms: **${fmt(ratios.latency.engineVsBaseline, 1)}×** ` +
      `(${fmt(find('lat-8')!.issuesPerSecond)} vs ${fmt(find('lat-base')!.issuesPerSecond)} issues/s` +
      `${ratios.latency.sameData === null ? '' : `; ${fmt(ratios.latency.sameData, 1)}× on the baseline's own small data set`}).`,
  );
if (ratios.zero.engineVsBaseline !== null)
  notes.push(
    `Engine ÷ naive baseline at 0 ms: **${fmt(ratios.zero.engineVsBaseline, 1)}×** ` +
      `(${fmt(zero!.issuesPerSecond)} vs ${fmt(find('zero-base')!.issuesPerSecond)} issues/s` +
      `${ratios.zero.sameData === null ? '' : `; ${fmt(ratios.zero.sameData, 1)}× on the baseline's own data set`}).`,
  );
if (lat8?.percentOfBound != null)
  notes.push(
    `${LATENCY_MS} ms, 8 projects: ${fmt(lat8.percentOfBound)} % of the bound ${fmt(lat8.bound)} issues/s (target ${TARGETS.boundPercent} %: ${met(lat8.percentOfBound >= TARGETS.boundPercent)})` +
      `${lat1?.percentOfBound != null ? `; one giant project: ${fmt(lat1.percentOfBound)} % (${fmt(lat1.issuesPerSecond / lat8.issuesPerSecond, 2)}× the 8-project rate).` : '.'}`,
  );
if (zero)
  notes.push(
    `Zero latency, ${fmt(zero.issues)} issues: ${fmt(zero.issuesPerSecond)} issues/s end to end (target ${fmt(TARGETS.zeroLatencyIssuesPerSecond)}: ${met(zero.issuesPerSecond >= TARGETS.zeroLatencyIssuesPerSecond)}).`,
  );
if (big)
  notes.push(
    `Peak RSS syncing ${fmt(big.issues)} issues: ${fmt(big.peakRssMb)} MB maxRSS (engine's own sample ${fmt(big.sampledPeakRssMb)} MB; ` +
      `target ≤ ${TARGETS.peakRssMb200k} MB: ${met(big.peakRssMb <= TARGETS.peakRssMb200k)}), at ${fmt(big.issuesPerSecond)} issues/s.`,
  );
if (big?.phases)
  notes.push(
    `Where the ${fmt(big.issues)}-issue sync's time went (summed over projects): waiting for Jira ${fmt(big.phases.waitS, 1)} s, ` +
      `parsing ${fmt(big.phases.parseS, 1)} s, writing ${fmt(big.phases.writeS, 1)} s; CPU ${fmt(big.cpuSeconds, 1)} s engine + ${fmt(big.simulator.cpuSeconds, 1)} s simulator ` +
      `in ${fmt(big.seconds, 1)} s on ${machine.cores} cores = ${fmt((1000 * big.cpuSeconds) / big.issues, 3)} + ${fmt((1000 * (big.simulator.cpuSeconds ?? NaN)) / big.issues, 3)} ms per issue.`,
  );
if (big?.readDuringSyncMs)
  notes.push(
    `History reads (listRuns + getStats) during that sync: p50 ${big.readDuringSyncMs.p50} ms, p95 ${big.readDuringSyncMs.p95} ms, max ${big.readDuringSyncMs.max} ms.`,
  );

const rows = tableRows(results);
console.log(`\n${textTable(rows)}\n`);
for (const note of notes) console.log(note.replaceAll('**', ''));
console.log(
  `\nwhole bench: ${fmt(totalSeconds)} s; load average at the end ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

const date = startedAt.toISOString();
// A partial or profiled run is not the bench: it leaves the recorded results alone unless asked.
const record = (!ONLY && !PROFILE_DIR) || process.env.BENCH_WRITE === '1';
if (!record) console.log('partial or profiled run: bench/results.json and bench/RESULTS.md left unchanged (BENCH_WRITE=1 writes them)');
if (record)
  writeFileSync(
    here('./results.json'),
    `${JSON.stringify(
      {
        date,
        machine: { ...machine, loadAverageAtEnd: loadavg().map((l) => Number(l.toFixed(2))) },
        scale: SCALE,
        baselineScale: BASELINE_SCALE,
        engineConfig: ENGINE,
        totalSeconds,
        targets: TARGETS,
        ratios,
        scenarios: results,
      },
      null,
      2,
    )}\n`,
  );
if (record)
  writeFileSync(
    here('./RESULTS.md'),
    [
      `Measured ${date.slice(0, 10)} on ${machine.cores} × ${machine.cpuModel}, Node ${machine.node}, \`npm run bench\` (scale ${SCALE}; engine batch ${ENGINE.batchSize}, ${ENGINE.maxWorkers} workers).`,
      '',
      markdownTable(rows.map((row) => row.slice(1))),
      '',
      ...notes.map((n) => `- ${n}`),
      '',
      `API calls: the client's count, checked against the simulator's (shown as "(sim N)" only when they differ). ` +
        `Peak RSS: the client process's maxRSS (all threads), fresh process per scenario; sampled RSS: the engine's own peak sample in \`sync_performance_metrics\`. ` +
        `CPU: client process / simulator process (separate processes, 2 cores shared).`,
      '',
    ].join('\n'),
  );
if (record) console.log('wrote bench/results.json and bench/RESULTS.md');
