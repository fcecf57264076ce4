/**
 * The simulator's own CPU per served issue, with and without `prerender`, at zero latency — what
 * the zero-latency bench scenarios cost on the simulator's side of the 2 shared cores.
 *
 * Per flavour and mode: a fresh simulator process (8 projects, SIMCOST_ISSUES issues in all,
 * default 20,000 × BENCH_SCALE), and in this process a trivial client that pages every project the way the
 * engine does (8 at once, 100 per page, fields *navigable; Cloud by `nextPageToken`, Data Center
 * by keyset: a new `updated >= <minute>` literal on every page), reads each body and keeps only the
 * ids. The simulator's CPU (from /proc, outside this process) over the issues it served is the
 * figure; the run fails unless every issue arrived exactly once.
 *
 *   node bench/simulatorCost.ts      # SIMCOST_CPU_PROF=dir also profiles each simulator
 */
import { Agent, request } from 'node:http';
import type { SimulatorFlavor, SimulatorOptions, SimulatorStats } from '../src/simulator/index.ts';
import { control, cpuSecondsOf, startSimulatorProcess, stopSimulatorProcess } from './processes.ts';

const ISSUES = Number(process.env.SIMCOST_ISSUES ?? Math.round(20_000 * Number(process.env.BENCH_SCALE ?? 1)));
if (!Number.isInteger(ISSUES) || ISSUES < 8) throw new Error('SIMCOST_ISSUES must be an integer ≥ 8');
const PROJECTS = 8;
const PAGE = 100;
const MINUTE = 60_000;
const AUTH: Record<SimulatorFlavor, string> = {
  cloud: 'Basic ' + Buffer.from('demo@example.com:demo-token').toString('base64'),
  datacenter: 'Bearer demo-pat',
};

interface Page {
  issues: Array<{ id: string; fields: { updated: string } }>;
  nextPageToken?: string;
  isLast?: boolean;
  total?: number;
}

function post(agent: Agent, url: string, path: string, auth: string, body: unknown): Promise<Page> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      {
        agent,
        method: 'POST',
        headers: { Authorization: auth, 'Content-Type': 'application/json', 'Content-Length': payload.length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode} from ${path}: ${text.slice(0, 200)}`));
          else resolve(JSON.parse(text) as Page);
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Jira timestamps (`2024-11-05T04:30:00.123-0500`) → epoch ms. */
const instant = (s: string) => Date.parse(s.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));

async function pageCloud(agent: Agent, url: string, key: string, seen: Set<string>): Promise<void> {
  const jql = `project = "${key}" ORDER BY updated ASC, key ASC`;
  let token: string | undefined;
  for (;;) {
    const page = await post(agent, url, '/rest/api/3/search/jql', AUTH.cloud, {
      jql,
      maxResults: PAGE,
      fields: ['*navigable'],
      ...(token ? { nextPageToken: token } : {}),
    });
    for (const issue of page.issues) seen.add(issue.id);
    if (page.isLast || !page.nextPageToken) return;
    token = page.nextPageToken;
  }
}

async function pageDataCenter(agent: Agent, url: string, key: string, seen: Set<string>): Promise<void> {
  let minute: number | null = null;
  let read = 0;
  for (;;) {
    const jql = `project = "${key}"${minute === null ? '' : ` AND updated >= ${minute}`} ORDER BY updated ASC, key ASC`;
    const page = await post(agent, url, '/rest/api/2/search', AUTH.datacenter, {
      jql,
      startAt: read,
      maxResults: PAGE,
      fields: ['*navigable'],
    });
    for (const issue of page.issues) seen.add(issue.id);
    if (page.issues.length === 0 || read + page.issues.length >= (page.total ?? 0)) return;
    const lastMinute = Math.floor(instant(page.issues.at(-1)!.fields.updated) / MINUTE) * MINUTE;
    let inMinute = 0;
    for (let i = page.issues.length - 1; i >= 0; i--) {
      if (Math.floor(instant(page.issues[i]!.fields.updated) / MINUTE) * MINUTE !== lastMinute) break;
      inMinute++;
    }
    read = lastMinute === minute ? read + page.issues.length : inMinute;
    minute = lastMinute;
  }
}

export interface SimulatorCost {
  flavor: SimulatorFlavor;
  prerender: boolean;
  issues: number;
  seconds: number;
  /** Simulator CPU from its start until it serves (prerendering included). */
  startupCpuSeconds: number | null;
  /** Simulator CPU while serving the pages. */
  cpuSeconds: number | null;
  msPerIssue: number | null;
}

async function measure(flavor: SimulatorFlavor, prerender: boolean): Promise<SimulatorCost> {
  const each = Math.floor(ISSUES / PROJECTS);
  const projects = Array.from({ length: PROJECTS }, (_, i) => ({ key: `P${String.fromCharCode(65 + i)}`, issues: each }));
  const options: SimulatorOptions = { flavor, projects, latencyMs: 0, seed: 7, prerender };
  const profile = process.env.SIMCOST_CPU_PROF;
  const nodeArgs = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}/${flavor}-${prerender ? 'prerender' : 'rendered'}`] : [];
  const { child, url } = await startSimulatorProcess(options, nodeArgs);
  const agent = new Agent({ keepAlive: true, maxSockets: PROJECTS });
  try {
    const startupCpuSeconds = cpuSecondsOf(child.pid);
    const seen = new Set<string>();
    const cpuBefore = cpuSecondsOf(child.pid);
    const started = performance.now();
    const page = flavor === 'cloud' ? pageCloud : pageDataCenter;
    await Promise.all(projects.map((p) => page(agent, url, p.key, seen)));
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = cpuSecondsOf(child.pid);
    const stats = await control<SimulatorStats>(url, 'stats');
    if (seen.size !== each * PROJECTS || stats.issuesServed !== seen.size) {
      throw new Error(
        `${flavor}: read ${seen.size} distinct issues, the simulator served ${stats.issuesServed}; expected ${each * PROJECTS}`,
      );
    }
    const cpuSeconds = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
    return {
      flavor,
      prerender,
      issues: seen.size,
      seconds,
      startupCpuSeconds,
      cpuSeconds,
      msPerIssue: cpuSeconds === null ? null : (1000 * cpuSeconds) / seen.size,
    };
  } finally {
    agent.destroy();
    await stopSimulatorProcess(child);
  }
}

export async function measureSimulatorCost(): Promise<SimulatorCost[]> {
  const out: SimulatorCost[] = [];
  for (const flavor of ['cloud', 'datacenter'] as const) for (const prerender of [false, true]) out.push(await measure(flavor, prerender));
  return out;
}

const fmt = (n: number | null, digits: number) => (n === null ? '–' : n.toFixed(digits));

if (import.meta.main) {
  console.log(
    `simulator CPU per served issue, zero latency, ${ISSUES.toLocaleString('en-US')} issues in ${PROJECTS} projects, pages of ${PAGE}`,
  );
  for (const r of await measureSimulatorCost()) {
    console.log(
      `${r.flavor.padEnd(10)} ${r.prerender ? 'prerender' : 'rendered '}  ${fmt(r.msPerIssue, 4)} ms/issue ` +
        `(${fmt(r.cpuSeconds, 2)} CPU s serving ${r.issues} issues in ${fmt(r.seconds, 2)} s; start-up ${fmt(r.startupCpuSeconds, 2)} CPU s)`,
    );
  }
}
