// What `npm run bench` measured, as tables: the scenarios (grouped by latency) and issue 6's
// targets beside what was measured.

/** What a client process (engineProcess.ts / baselineProcess.ts) prints. */
export interface ClientResult {
  kind: 'engine' | 'baseline' | 'reference';
  status: string;
  errorMessage?: string | null;
  issues: number;
  /** null for the reference client, which stores nothing. */
  rowsInDb: number | null;
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
  pageThread?: boolean;
  journalMode?: string | null;
  phases?: { waitS: number; parseS: number; writeS: number };
  readDuringSyncMs?: { samples: number; p50: number; p95: number; max: number };
}

export interface Measured extends ClientResult {
  id: string;
  title: string;
  latencyMs: number;
  projects: number;
  issuesPerSecond: number;
  bound: number | null;
  /** issues/s ÷ bound. */
  fractionOfBound: number | null;
  /** Client CPU during the run ÷ issues. */
  cpuMsPerIssue: number;
  /** 1-minute load average when the scenario started (includes the bench's own previous scenario). */
  loadAtStart: number;
  /** CPU seconds the whole machine spent beyond the client and the simulator during the scenario (Linux): other work sharing it. */
  otherCpuSeconds: number | null;
  /** Requests the simulator served (setup calls included), and what it reports about them. */
  simulator: {
    prerender: boolean;
    issueCount: number;
    requests: number;
    pagesServed: number;
    mbServed: number;
    maxOpenConnections: number;
    cpuSeconds: number | null;
    cpuMsPerIssue: number | null;
  };
}

export const fmt = (n: number | null | undefined, digits = 0) =>
  n === null || n === undefined || !Number.isFinite(n)
    ? '–'
    : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

// ---------------------------------------------------------------- targets

export interface TargetResult {
  name: string;
  /** Scenario measured (null: none of the scenarios that measure it ran). */
  scenario: string | null;
  measured: number | null;
  unit: string;
  digits: number;
  atLeast: boolean;
  target: number;
  met: boolean | null;
}

interface TargetDef {
  name: string;
  /** The first of these scenarios that ran measures it. */
  from: string[];
  value: (r: Measured) => number | null;
  unit: string;
  digits: number;
  atLeast: boolean;
  target: number;
}

/** Issue 6, part 5 ("Speed: a lean per-issue path"). */
export function targetDefs(latencyMs: number): TargetDef[] {
  const ofBound = (id: string, shape: string): TargetDef => ({
    name: `fraction of the bound at ${latencyMs} ms, ${shape}`,
    from: [id],
    value: (r) => r.fractionOfBound,
    unit: '',
    digits: 2,
    atLeast: true,
    target: 0.9,
  });
  const fullSpeed = ['zero-100k', 'zero-200k', 'zero-base-engine'];
  return [
    ofBound('lat-8', '8 equal projects'),
    ofBound('lat-1', '1 project holds all'),
    {
      name: 'engine CPU per issue (client process CPU ÷ issues, 0 ms)',
      from: fullSpeed,
      value: (r) => r.cpuMsPerIssue,
      unit: ' ms',
      digits: 3,
      atLeast: false,
      target: 0.07,
    },
    {
      name: 'end to end at 0 ms, against the prerendered simulator',
      from: fullSpeed,
      value: (r) => r.issuesPerSecond,
      unit: ' issues/s',
      digits: 0,
      atLeast: true,
      target: 15_000,
    },
    {
      name: 'peak RSS syncing 200,000 issues',
      from: ['zero-200k'],
      value: (r) => r.peakRssMb,
      unit: ' MB',
      digits: 0,
      atLeast: false,
      target: 300,
    },
    {
      // The longest full-speed sync first: the most samples.
      name: 'history reads during a full-speed sync, p95',
      from: ['zero-200k', 'zero-100k', 'zero-base-engine'],
      value: (r) => r.readDuringSyncMs?.p95 ?? null,
      unit: ' ms',
      digits: 0,
      atLeast: false,
      target: 10,
    },
  ];
}

export function evaluateTargets(results: Measured[], latencyMs: number): TargetResult[] {
  return targetDefs(latencyMs).map(({ from, value, ...def }) => {
    const r = from.map((id) => results.find((x) => x.id === id)).find((x) => x !== undefined) ?? null;
    const measured = r ? value(r) : null;
    const met = measured === null ? null : def.atLeast ? measured >= def.target : measured <= def.target;
    return { ...def, scenario: r?.id ?? null, measured, met };
  });
}

export function targetRows(targets: TargetResult[]): string[][] {
  return [
    ['target (issue 6)', 'measured', 'required', 'status', 'scenario'],
    ...targets.map((t) => [
      t.name,
      t.measured === null ? '–' : `${fmt(t.measured, t.digits)}${t.unit}`,
      `${t.atLeast ? '≥' : '≤'} ${fmt(t.target, t.digits)}${t.unit}`,
      t.met === null ? 'not measured' : t.met ? 'met' : 'NOT met',
      t.scenario ?? '–',
    ]),
  ];
}

// ---------------------------------------------------------------- scenarios

/** Engine API calls are per project; the simulator also saw the run's 3 setup calls (/myself, project list, serverInfo). */
function apiCallsCell(r: Measured): string {
  const expected = r.kind === 'engine' ? r.apiCalls + 3 : r.apiCalls;
  return expected === r.simulator.requests ? fmt(expected) : `${fmt(expected)} (sim ${fmt(r.simulator.requests)})`;
}

export function scenarioRows(results: Measured[]): string[][] {
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
    'ms/issue client / sim',
  ];
  return [
    header,
    ...results.map((r) => [
      r.id,
      r.title,
      fmt(r.issues),
      `${fmt(r.seconds, 1)} s`,
      fmt(r.issuesPerSecond),
      fmt(r.fractionOfBound, 2),
      apiCallsCell(r),
      fmt(r.retries),
      `${fmt(r.peakRssMb)} MB`,
      r.sampledPeakRssMb ? `${fmt(r.sampledPeakRssMb)} MB` : '–',
      `${fmt(r.cpuSeconds, 1)} s / ${fmt(r.simulator.cpuSeconds, 1)} s`,
      `${fmt(r.cpuMsPerIssue, 3)} / ${fmt(r.simulator.cpuMsPerIssue, 3)}`,
    ]),
  ];
}

const numeric = (cell: string) => /^[\d,.–≥≤]/.test(cell);
export function textTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  return rows
    .map((row) => row.map((cell, c) => (c > 1 && numeric(cell) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  '))
    .join('\n');
}
/** Padded like Prettier formats Markdown tables, so the README can quote it unchanged. */
export function markdownTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(3, ...rows.map((row) => row[c]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  return [line(rows[0]!), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.slice(1).map(line)].join('\n');
}
