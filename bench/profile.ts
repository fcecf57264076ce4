// Summarizes V8 CPU profiles (`node --cpu-prof`, e.g. from `BENCH_CPU_PROF=dir npm run bench`):
// per thread, where the time went by area (HTTP client, JSON, validation, SQLite, GC, …), the top
// functions by self time, and the project's own functions by inclusive time.
//   node bench/profile.ts <dir-or-.cpuprofile…> [--top 20]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const args = process.argv.slice(2);
const topIndex = args.indexOf('--top');
const top = topIndex >= 0 ? Number(args.splice(topIndex, 2)[1]) : 20;
const files = args.flatMap((path) =>
  statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => join(path, f))
    : [path],
);
if (files.length === 0) throw new Error('usage: node bench/profile.ts <dir-or-.cpuprofile…> [--top 20]');

const short = (url: string) =>
  url
    .replace(/^file:\/\//, '')
    .replace(/^.*\/node_modules\//, '~/')
    .replace(/^.*\/(src|bench)\//, '$1/');

/** A coarse area for a frame, to say where a thread's time goes. */
function area(frame: CallFrame): string {
  const { functionName: name, url } = frame;
  if (name === '(garbage collector)') return 'GC';
  if (name === '(idle)') return 'idle';
  if (name === '(program)') return 'V8/native (unattributed)';
  if (url === '' && /^(parse|stringify)$/.test(name)) return `JSON.${name}`;
  if (/undici|internal\/(deps|webstreams|streams|net|http|tls)|node:net|node:stream/.test(url)) return 'HTTP (undici, streams, sockets)';
  if (/\/ky\//.test(url)) return 'HTTP (ky)';
  if (/\/zod\//.test(url)) return 'validation (zod)';
  if (/better-sqlite3/.test(url)) return 'SQLite (better-sqlite3)';
  if (/drizzle-orm/.test(url)) return 'drizzle-orm';
  if (/\/src\/simulator\//.test(url)) return 'simulator';
  if (/\/src\/store\//.test(url)) return `store: ${basename(url)}`;
  if (/\/src\/engine\//.test(url)) return `engine: ${basename(url)}`;
  if (/\/src\//.test(url)) return `src: ${short(url)}`;
  if (url.startsWith('node:') || url === '') return `node/builtin${name ? '' : ' (anonymous)'}`;
  return short(url);
}

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const areas = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const us = profile.timeDeltas[i + 1] ?? 0;
    const node = byId.get(profile.samples[i]!)!;
    totalUs += us;
    if (node.callFrame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const label = `${node.callFrame.functionName || '(anonymous)'} ${short(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
    self.set(label, (self.get(label) ?? 0) + us);
    const a = area(node.callFrame);
    areas.set(a, (areas.get(a) ?? 0) + us);
    // Inclusive time of the project's own functions (each counted once per sample).
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const f = byId.get(id)!.callFrame;
      if (!/\/src\//.test(f.url)) continue;
      const key = `${f.functionName || '(anonymous)'} ${short(f.url)}:${f.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  const busyUs = totalUs - idleUs;
  const pct = (us: number) => `${((100 * us) / Math.max(1, busyUs)).toFixed(1).padStart(5)} %`;
  const s = (us: number) => `${(us / 1e6).toFixed(2).padStart(7)} s`;
  const list = (map: Map<string, number>, n: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => `  ${s(us)} ${pct(us)}  ${k}`)
      .join('\n');
  console.log(
    `\n=== ${basename(file)}: ${s(totalUs)} profiled, ${s(busyUs)} busy (${((100 * busyUs) / Math.max(1, totalUs)).toFixed(0)} %)`,
  );
  console.log(`by area (% of busy):\n${list(areas, 25)}`);
  console.log(`top ${top} functions by self time:\n${list(self, top)}`);
  console.log(`project functions by inclusive time:\n${list(inclusive, top)}`);
}
