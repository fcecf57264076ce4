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
 * - Scenarios run against a prerendered simulator (SimulatorOptions.prerender: every issue's JSON
 *   rendered at its start-up, pages written from those bytes), so that their figures measure the
 *   client and not the simulator's rendering, which shares the same 2 cores (and, at 150 ms, adds
 *   its rendering to every round trip); the baseline and the engine both get that simulator, so
 *   their ratio stays like for like. One scenario (lat-8-rendered) keeps the simulator that renders
 *   every page, to show what that costs. Both columns "ms/issue" say what each side cost: client
 *   process CPU during the run ÷ issues, simulator CPU ÷ issues.
 * - The latency scenarios have issue 6's shapes: 8 projects × 8,000 issues, and one project holding
 *   all 64,000.
 * - The baseline (baseline.ts) is what a user would script: sequential, 50 per page, fields
 *   *navigable, an autocommit INSERT OR REPLACE per issue, default SQLite settings, plain fetch.
 *   It runs on smaller data sets (it is slow); the engine also runs on exactly those data sets.
 * - The bare concurrent client (reference.ts, lat-ref) reads the lat-8 data set one loop per project,
 *   all at once, and only parses: the fraction of the bound the machine and the simulator allow at
 *   all, measured beside the engine's; at 0 ms (zero-ref) what reading alone costs per issue.
 * - Fresh temp databases (os.tmpdir()) per scenario, deleted afterwards. The token goes through the
 *   environment (credential 'env', BENCH_TOKEN), random per bench run.
 * - Issue 6's targets are printed beside what was measured ("targets" table, report.ts).
 * - Further bench scripts (EXTRAS below) run after the scenarios, each as a process of its own;
 *   one missing from the branch is skipped with the reason printed. Their output is recorded.
 *
 * Environment: BENCH_SCALE (default 1; 0.1 for a quick look) scales every data set;
 * BENCH_BASELINE_SCALE overrides it for the baseline's data sets; BENCH_LATENCY_MS (default 150);
 * BENCH_ONLY=id,id runs only those scenarios and extras (ids in the tables and EXTRAS);
 * BENCH_CPU_PROF=dir writes a V8 CPU profile of every engine child (all threads) under dir/<id>/ —
 * summarize with `node bench/profile.ts dir/<id>`.
 * Output: the tables on stdout, bench/results.json (figures + machine), bench/RESULTS.md (for the README).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import type { PerformanceConfig } from '../src/shared/model.ts';
import type { SimulatorOptions, SimulatorStats } from '../src/simulator/index.ts';
import {
  control,
  cpuSecondsOf,
  firstLine,
  here,
  machineBusySeconds,
  startSimulatorProcess,
  stop,
  stopSimulatorProcess,
} from './processes.ts';
import { evaluateTargets, fmt, markdownTable, scenarioRows, targetRows, textTable, type ClientResult, type Measured } from './report.ts';

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

/** The engine settings of every engine scenario (the brief's: batch 100, 8 workers). */
const ENGINE: Partial<PerformanceConfig> = { batchSize: 100, maxWorkers: 8, connectionPoolSize: 10, rateLimitPause: 0 };

interface Scenario {
  id: string;
  title: string;
  runner: 'engine' | 'baseline' | 'reference';
  projects: Array<{ key: string; issues: number }>;
  latencyMs: number;
  env?: Record<string, string>;
  /** The simulator renders every page instead of serving prerendered ones (see the header). */
  rendered?: boolean;
}

const equal = (count: number, each: number, scale = SCALE) =>
  Array.from({ length: count }, (_, i) => ({ key: `P${String.fromCharCode(65 + i)}`, issues: Math.max(1, Math.round(each * scale)) }));
const total = (s: Scenario) => s.projects.reduce((n, p) => n + p.issues, 0);
const ms = `${LATENCY_MS} ms`;

// Grouped by latency so that what is compared runs close together in time.
const ALL: Scenario[] = [
  { id: 'lat-8', title: `${ms}, 8 equal projects`, runner: 'engine', projects: equal(8, 8000), latencyMs: LATENCY_MS },
  {
    id: 'lat-1',
    title: `${ms}, 1 project holds all`,
    runner: 'engine',
    projects: [{ key: 'GIANT', issues: Math.round(64_000 * SCALE) }],
    latencyMs: LATENCY_MS,
  },
  {
    id: 'lat-8-thread',
    title: `${ms}, 8 equal projects, with the page thread`,
    runner: 'engine',
    projects: equal(8, 8000),
    latencyMs: LATENCY_MS,
    env: { JIRA_MIRROR_PAGE_THREAD: '1' },
  },
  {
    id: 'lat-8-rendered',
    title: `${ms}, 8 equal projects, the simulator rendering every page`,
    runner: 'engine',
    projects: equal(8, 8000),
    latencyMs: LATENCY_MS,
    rendered: true,
  },
  {
    id: 'lat-ref',
    title: `${ms}, 8 equal projects, bare concurrent client`,
    runner: 'reference',
    projects: equal(8, 8000),
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
  {
    id: 'zero-ref',
    title: '0 ms, 8 projects, bare concurrent client',
    runner: 'reference',
    projects: equal(8, 12_500),
    latencyMs: 0,
  },
  { id: 'zero-base', title: '0 ms, naive baseline', runner: 'baseline', projects: equal(8, 2500, BASELINE_SCALE), latencyMs: 0 },
  {
    id: 'zero-base-engine',
    title: "0 ms, engine on the baseline's data",
    runner: 'engine',
    projects: equal(8, 2500, BASELINE_SCALE),
    latencyMs: 0,
  },
  {
    id: 'zero-thread',
    title: '0 ms, same, with the page thread',
    runner: 'engine',
    projects: equal(8, 2500, BASELINE_SCALE),
    latencyMs: 0,
    env: { JIRA_MIRROR_PAGE_THREAD: '1' },
  },
  { id: 'zero-200k', title: '0 ms, 200,000 issues (peak RSS)', runner: 'engine', projects: equal(8, 25_000), latencyMs: 0 },
];

/** Further bench scripts, run after the scenarios (in this order) and recorded with them. */
const EXTRAS: Array<{ id: string; script: string }> = [
  { id: 'queries', script: 'queries.ts' },
  { id: 'simulator-cost', script: 'simulatorCost.ts' },
  { id: 'ops', script: 'ops.ts' },
  { id: 'analytics', script: 'analytics.ts' },
];

const scenarios = ONLY ? ALL.filter((s) => ONLY.has(s.id)) : ALL;
const extras = ONLY ? EXTRAS.filter((e) => ONLY.has(e.id)) : EXTRAS;
if (scenarios.length + extras.length === 0) {
  throw new Error(`BENCH_ONLY matched nothing; ids: ${[...ALL, ...EXTRAS].map((s) => s.id).join(', ')}`);
}

async function runScenario(scenario: Scenario): Promise<Measured> {
  const loadAtStart = Number(loadavg()[0]!.toFixed(2));
  const simOptions: SimulatorOptions = {
    flavor: 'cloud',
    projects: scenario.projects,
    latencyMs: scenario.latencyMs,
    seed: 7,
    auth: { email: EMAIL, apiToken: TOKEN },
    prerender: scenario.rendered !== true,
  };
  const { child: simulator, url } = await startSimulatorProcess(simOptions);
  let client: ChildProcess | null = null;
  try {
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
    const runnerArgs =
      scenario.runner === 'engine'
        ? [JSON.stringify(ENGINE)]
        : scenario.runner === 'reference'
          ? ['reference', scenario.projects.map((p) => p.key).join(',')]
          : [];
    const args = [...nodeArgs, script, url, ...runnerArgs];
    client = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...scenario.env, BENCH_EMAIL: EMAIL, BENCH_TOKEN: TOKEN },
    });
    const result = JSON.parse(await firstLine(client, `the ${scenario.runner} of ${scenario.id}`)) as ClientResult;
    await new Promise((resolve) => (client!.exitCode !== null ? resolve(null) : client!.once('exit', resolve)));
    const stats = await control<SimulatorStats>(url, 'stats');
    const simCpuAfter = cpuSecondsOf(simulator.pid);
    const machineAfter = machineBusySeconds();

    if (result.status !== 'completed' || result.issues !== issueCount || (result.kind !== 'reference' && result.rowsInDb !== issueCount)) {
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
      scenario.runner !== 'baseline' && scenario.latencyMs > 0
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
      fractionOfBound: bound ? issuesPerSecond / bound : null,
      cpuMsPerIssue: (1000 * result.cpuSeconds) / result.issues,
      loadAtStart,
      otherCpuSeconds,
      simulator: {
        prerender: simOptions.prerender === true,
        issueCount,
        requests: stats.totalRequests,
        pagesServed: stats.pagesServed,
        mbServed: stats.bytesServed / 1_048_576,
        maxOpenConnections: stats.maxOpenConnections,
        cpuSeconds: simulatorCpu,
        cpuMsPerIssue: simulatorCpu === null ? null : (1000 * simulatorCpu) / result.issues,
      },
    };
  } finally {
    if (client) await stop(client);
    await stopSimulatorProcess(simulator);
  }
}

interface ExtraResult {
  id: string;
  script: string;
  status: 'ran' | 'skipped' | 'failed';
  reason?: string;
  output: string;
}

async function runExtra(extra: { id: string; script: string }): Promise<ExtraResult> {
  const path = here(`./${extra.script}`);
  if (!existsSync(path)) return { ...extra, status: 'skipped', reason: `bench/${extra.script} is not on this branch`, output: '' };
  const child = spawn(process.execPath, [path], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    process.stdout.write(chunk);
    output += chunk.toString('utf8');
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return code === 0
    ? { ...extra, status: 'ran', output }
    : { ...extra, status: 'failed', reason: `bench/${extra.script} exited with ${code}`, output };
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
    `${fmt(r.seconds, 1)} s, ${fmt(r.issuesPerSecond)}/s${r.fractionOfBound === null ? '' : ` (${fmt(r.fractionOfBound, 2)} of the bound)`}, ` +
      `peak RSS ${fmt(r.peakRssMb)} MB${r.otherCpuSeconds !== null && r.otherCpuSeconds > 0.1 * r.seconds * machine.cores ? ` (other processes used ${fmt(r.otherCpuSeconds, 1)} CPU s meanwhile: noisy)` : ''}`,
  );
}
const extraResults: ExtraResult[] = [];
for (const extra of extras) {
  console.log(`\n${extra.id}: node bench/${extra.script}`);
  const r = await runExtra(extra);
  if (r.status !== 'ran') console.log(`${extra.id} ${r.status}: ${r.reason}`);
  if (r.status === 'failed') process.exitCode = 1;
  extraResults.push(r);
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
const targets = evaluateTargets(results, LATENCY_MS);
const big = find('zero-200k');
const lat8 = find('lat-8');
const lat1 = find('lat-1');
const zero = find('zero-100k');

const notes: string[] = [];
if (ratios.latency.engineVsBaseline !== null)
  notes.push(
    `Engine ÷ naive baseline at ${LATENCY_MS} ms: **${fmt(ratios.latency.engineVsBaseline, 1)}×** ` +
      `(${fmt(lat8!.issuesPerSecond)} vs ${fmt(find('lat-base')!.issuesPerSecond)} issues/s` +
      `${ratios.latency.sameData === null ? '' : `; ${fmt(ratios.latency.sameData, 1)}× on the baseline's own small data set`}).`,
  );
if (ratios.zero.engineVsBaseline !== null)
  notes.push(
    `Engine ÷ naive baseline at 0 ms: **${fmt(ratios.zero.engineVsBaseline, 1)}×** ` +
      `(${fmt(zero!.issuesPerSecond)} vs ${fmt(find('zero-base')!.issuesPerSecond)} issues/s` +
      `${ratios.zero.sameData === null ? '' : `; ${fmt(ratios.zero.sameData, 1)}× on the baseline's own data set`}).`,
  );
const reference = find('lat-ref');
if (lat8 && reference)
  notes.push(
    `Engine ÷ the bare concurrent client (reads and parses every page, checks and stores nothing) at ${LATENCY_MS} ms, ` +
      `8 equal projects: **${fmt(lat8.issuesPerSecond / reference.issuesPerSecond, 2)}** ` +
      `(${fmt(lat8.fractionOfBound, 2)} vs ${fmt(reference.fractionOfBound, 2)} of the bound): the rest of the bound is the machine's and the simulator's.`,
  );
const zeroReference = find('zero-ref');
if (zero && zeroReference)
  notes.push(
    `At 0 ms the bare concurrent client reads ${fmt(zeroReference.issuesPerSecond)} issues/s at ${fmt(zeroReference.cpuMsPerIssue, 3)} ms CPU per issue ` +
      `(JSON.parse alone), the engine ${fmt(zero.issuesPerSecond)}/s at ${fmt(zero.cpuMsPerIssue, 3)} ms (validated, hashed, written with its indexes and full-text index).`,
  );
if (lat8 && lat1)
  notes.push(
    `One project holding all syncs at ${fmt(lat1.issuesPerSecond / lat8.issuesPerSecond, 2)}× the rate of 8 equal projects at ${LATENCY_MS} ms.`,
  );
if (big?.phases)
  notes.push(
    `Where the ${fmt(big.issues)}-issue sync's time went (summed over projects): waiting for Jira ${fmt(big.phases.waitS, 1)} s, ` +
      `parsing ${fmt(big.phases.parseS, 1)} s, writing ${fmt(big.phases.writeS, 1)} s; CPU ${fmt(big.cpuSeconds, 1)} s engine + ${fmt(big.simulator.cpuSeconds, 1)} s simulator ` +
      `in ${fmt(big.seconds, 1)} s on ${machine.cores} cores = ${fmt(big.cpuMsPerIssue, 3)} + ${fmt(big.simulator.cpuMsPerIssue, 3)} ms per issue.`,
  );
const reads = big ?? zero;
if (reads?.readDuringSyncMs)
  notes.push(
    `History reads (listRuns + getStats) during the ${fmt(reads.issues)}-issue sync: p50 ${reads.readDuringSyncMs.p50} ms, ` +
      `p95 ${reads.readDuringSyncMs.p95} ms, max ${reads.readDuringSyncMs.max} ms (${reads.readDuringSyncMs.samples} samples).`,
  );

const latencyResults = results.filter((r) => r.latencyMs > 0);
const zeroResults = results.filter((r) => r.latencyMs === 0);
const sections: Array<{ title: string; rows: string[][] }> = [
  { title: 'Targets of issue 6 (part 5)', rows: targetRows(targets) },
  ...(latencyResults.length
    ? [{ title: `At ${LATENCY_MS} ms per request (prerendered simulator, but lat-8-rendered)`, rows: scenarioRows(latencyResults) }]
    : []),
  ...(zeroResults.length
    ? [{ title: 'At zero latency (prerendered simulator: its pages cost it next to nothing)', rows: scenarioRows(zeroResults) }]
    : []),
];

for (const section of sections) console.log(`\n${section.title}\n${textTable(section.rows)}`);
console.log('');
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
        targets,
        ratios,
        scenarios: results,
        extras: extraResults,
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
      ...sections.flatMap((section) => ['', `**${section.title}**`, '', markdownTable(section.rows)]),
      ...(notes.length ? ['', ...notes.map((n) => `- ${n}`)] : []),
      '',
      `API calls: the client's count, checked against the simulator's (shown as "(sim N)" only when they differ). ` +
        `Peak RSS: the client process's maxRSS (all threads), fresh process per scenario; sampled RSS: the engine's own peak sample in \`sync_performance_metrics\`. ` +
        `CPU: client process / simulator process (separate processes, ${machine.cores} cores shared); ms/issue: that CPU ÷ issues. ` +
        `Of bound: issues/s ÷ (max_workers × batch_size ÷ latency).`,
      ...extraResults.flatMap((e) =>
        e.status === 'skipped'
          ? []
          : ['', `\`node bench/${e.script}\`${e.status === 'failed' ? ` (${e.reason})` : ''}:`, '', '```', e.output.trimEnd(), '```'],
      ),
      '',
    ].join('\n'),
  );
if (record) console.log('wrote bench/results.json and bench/RESULTS.md');
