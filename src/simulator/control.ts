/**
 * Simulator control API — in-process (`SimulatorControl`) and over HTTP under `/_sim/…` (JSON, no
 * auth, no latency, no faults, not counted in stats). Errors answer `{ "error": "message" }` with
 * 400 (bad input) or 404 (unknown issue/project).
 *
 *   GET    /_sim/health                         → { ok: true, flavor, url }
 *   GET    /_sim/clock                          → { now }                  (simulator clock, epoch ms)
 *   POST   /_sim/clock/advance    { ms }        → { now }
 *   GET    /_sim/stats                          → SimulatorStats
 *   POST   /_sim/stats/reset                    → {}
 *   GET    /_sim/requests                       → RequestLogEntry[]        (last 10,000)
 *   GET    /_sim/snapshot?includeDeleted=1&includeHidden=1 → SnapshotEntry[]
 *   GET    /_sim/issue-count                    → { count }
 *   GET    /_sim/projects                       → ProjectInfo[]
 *   POST   /_sim/projects         { key, name?, issues? }        → {}
 *   DELETE /_sim/projects/{key}                 → {}
 *   POST   /_sim/projects/{key}/hide            → {}
 *   POST   /_sim/projects/{key}/show            → {}
 *   PUT    /_sim/projects/{key}/permission { permission: 'browse' | 'none' } → {}
 *   POST   /_sim/issues           { projectKey, count, fields? } → { keys }
 *   POST   /_sim/issues/update    { keys, changes? }             → {}
 *   POST   /_sim/issues/{key}     { changes? }                   → {}      (update one issue)
 *   DELETE /_sim/issues/{key}                   → {}
 *   POST   /_sim/issues/{key}/move { toProjectKey }             → { key }  (the new key)
 *   PUT    /_sim/latency          { ms }        → {}
 *   PUT    /_sim/index-lag        { ms }        → {}
 *   PUT    /_sim/search-resolution { resolution: 'millisecond' | 'minute' } → {}
 *   PUT    /_sim/server-version { version }     → {}      (what serverInfo reports, as after an upgrade)
 *   PUT    /_sim/faults           { rules: FaultRule[] }         → {}
 *   DELETE /_sim/faults                         → {}
 *   PUT    /_sim/rate-limit       { requestsPerSecond, burst } | { config: null } → {}
 *   POST   /_sim/rpc/{method}     { args: [...] } → { result }   (any SimulatorControl method by name)
 */
import { validateFaultRules } from './faults.ts';
import { SimError } from './model.ts';
import type { Reply } from './reply.ts';
import type { SimServer } from './server.ts';
import type { RemoteSimulatorControl, SimulatorControl } from './types.ts';

export function makeControl(s: SimServer): SimulatorControl {
  const st = s.store;
  return {
    createIssues: (projectKey, count, fields) => st.createIssues(projectKey, count, fields),
    createProject: (key, options) => {
      st.addProject(key, options?.name ?? key.charAt(0) + key.slice(1).toLowerCase() + ' Project', 0, s.anchor);
      if (options?.issues) st.createIssues(key, options.issues);
    },
    updateIssue: (key, changes) => st.updateIssue(key, changes),
    updateIssues: (keys, changes) => {
      for (const k of keys) st.updateIssue(k, changes);
    },
    deleteIssue: (key) => st.deleteIssue(key),
    moveIssue: (key, toProjectKey) => st.moveIssue(key, toProjectKey),
    deleteProject: (key) => st.deleteProject(key),
    hideProject: (key) => st.setHidden(key, true),
    showProject: (key) => st.setHidden(key, false),
    setProjectPermission: (key, permission) => {
      if (permission !== 'browse' && permission !== 'none') throw new SimError(`permission must be 'browse' or 'none'`, 400);
      st.setPermission(key, permission);
    },
    listProjects: () => st.listProjects(),
    setLatency: (ms) => {
      s.latencyMs = Math.max(0, Number(ms) || 0);
    },
    setIndexLag: (ms) => st.setIndexLag(Number(ms) || 0),
    setSearchResolution: (resolution) => {
      if (resolution !== 'millisecond' && resolution !== 'minute') throw new SimError(`resolution must be 'millisecond' or 'minute'`, 400);
      st.setSearchResolution(resolution);
    },
    setServerVersion: (version) => s.setServerVersion(version),
    setFaults: (rules) => s.setFaults(rules),
    clearFaults: () => s.faults.clear(),
    setRateLimit: (config) => s.setRateLimit(config),
    advanceClock: (ms) => {
      s.clockOffset += Math.max(0, Number(ms) || 0);
    },
    now: () => s.now(),
    stats: () => s.stats(),
    requests: () => s.requestLog(),
    resetStats: () => s.resetStats(),
    snapshot: (options) => st.snapshot(options),
    issueCount: () => st.issueCount(),
  };
}

const METHODS: ReadonlyArray<keyof SimulatorControl> = [
  'createIssues',
  'createProject',
  'updateIssue',
  'updateIssues',
  'deleteIssue',
  'moveIssue',
  'deleteProject',
  'hideProject',
  'showProject',
  'setProjectPermission',
  'listProjects',
  'setLatency',
  'setIndexLag',
  'setSearchResolution',
  'setServerVersion',
  'setFaults',
  'clearFaults',
  'setRateLimit',
  'advanceClock',
  'now',
  'stats',
  'requests',
  'resetStats',
  'snapshot',
  'issueCount',
];

function ok(value: unknown = {}): Reply {
  return { status: 200, body: JSON.stringify(value ?? null) };
}
function err(status: number, message: string): Reply {
  return { status, body: JSON.stringify({ error: message }) };
}

function truthy(v: string | null): boolean {
  return v !== null && v !== '' && v !== '0' && v !== 'false';
}

export function handleControlRequest(s: SimServer, method: string, path: string, query: URLSearchParams, bodyText: string): Reply {
  let body: Record<string, unknown> = {};
  if (bodyText.trim()) {
    try {
      const parsed = JSON.parse(bodyText) as unknown;
      body = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
    } catch {
      return err(400, 'invalid JSON body');
    }
  }
  const c = s.control;
  const seg = path
    .split('/')
    .filter(Boolean)
    .slice(1)
    .map((x) => decodeURIComponent(x));
  const route = `${method} /${seg.map((x, i) => (i === 1 && (seg[0] === 'projects' || seg[0] === 'issues') && x !== 'update' ? ':key' : i === 1 && seg[0] === 'rpc' ? ':method' : x)).join('/')}`;
  const key = seg[1] ?? '';
  const str = (v: unknown, name: string): string => {
    if (typeof v !== 'string') throw new SimError(`'${name}' must be a string`, 400);
    return v;
  };
  const num = (v: unknown, name: string): number => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new SimError(`'${name}' must be a number`, 400);
    return v;
  };
  try {
    switch (route) {
      case 'GET /health':
        return ok({ ok: true, flavor: s.flavor, url: s.url });
      case 'GET /clock':
        return ok({ now: c.now() });
      case 'POST /clock/advance':
        c.advanceClock(num(body.ms, 'ms'));
        return ok({ now: c.now() });
      case 'GET /stats':
        return ok(c.stats());
      case 'POST /stats/reset':
        c.resetStats();
        return ok();
      case 'GET /requests':
        return ok(c.requests());
      case 'GET /snapshot':
        return ok(c.snapshot({ includeDeleted: truthy(query.get('includeDeleted')), includeHidden: truthy(query.get('includeHidden')) }));
      case 'GET /issue-count':
        return ok({ count: c.issueCount() });
      case 'GET /projects':
        return ok(c.listProjects());
      case 'POST /projects': {
        const opts: { name?: string; issues?: number } = {};
        if (body.name !== undefined) opts.name = str(body.name, 'name');
        if (body.issues !== undefined) opts.issues = num(body.issues, 'issues');
        c.createProject(str(body.key, 'key'), opts);
        return ok();
      }
      case 'DELETE /projects/:key':
        c.deleteProject(key);
        return ok();
      case 'POST /projects/:key/hide':
        c.hideProject(key);
        return ok();
      case 'POST /projects/:key/show':
        c.showProject(key);
        return ok();
      case 'PUT /projects/:key/permission':
      case 'POST /projects/:key/permission':
        c.setProjectPermission(key, str(body.permission, 'permission') as 'browse' | 'none');
        return ok();
      case 'POST /issues':
        return ok({ keys: c.createIssues(str(body.projectKey, 'projectKey'), num(body.count, 'count'), body.fields as never) });
      case 'POST /issues/update': {
        if (!Array.isArray(body.keys)) throw new SimError(`'keys' must be an array`, 400);
        c.updateIssues(
          body.keys.map((k) => str(k, 'keys[]')),
          body.changes as never,
        );
        return ok();
      }
      case 'POST /issues/:key':
      case 'PUT /issues/:key':
        c.updateIssue(key, body.changes as never);
        return ok();
      case 'DELETE /issues/:key':
        c.deleteIssue(key);
        return ok();
      case 'POST /issues/:key/move':
        return ok({ key: c.moveIssue(key, str(body.toProjectKey, 'toProjectKey')) });
      case 'PUT /latency':
      case 'POST /latency':
        c.setLatency(num(body.ms, 'ms'));
        return ok();
      case 'PUT /index-lag':
      case 'POST /index-lag':
        c.setIndexLag(num(body.ms, 'ms'));
        return ok();
      case 'PUT /search-resolution':
      case 'POST /search-resolution':
        c.setSearchResolution(str(body.resolution, 'resolution') as never);
        return ok();
      case 'PUT /server-version':
      case 'POST /server-version':
        c.setServerVersion(str(body.version, 'version'));
        return ok();
      case 'PUT /faults':
      case 'POST /faults':
        c.setFaults(validateFaultRules(body.rules));
        return ok();
      case 'DELETE /faults':
        c.clearFaults();
        return ok();
      case 'PUT /rate-limit':
      case 'POST /rate-limit':
        c.setRateLimit(
          'config' in body && body.config === null
            ? null
            : { requestsPerSecond: num(body.requestsPerSecond, 'requestsPerSecond'), burst: num(body.burst, 'burst') },
        );
        return ok();
      case 'POST /rpc/:method': {
        const name = key as keyof SimulatorControl;
        if (!METHODS.includes(name)) return err(404, `unknown control method '${key}'`);
        const args = Array.isArray(body.args) ? body.args : [];
        const fn = c[name] as (...a: unknown[]) => unknown;
        return ok({ result: fn(...args) ?? null });
      }
      default:
        return err(404, `unknown control route ${method} ${path}`);
    }
  } catch (e) {
    if (e instanceof SimError) return err(e.status, e.message);
    return err(400, e instanceof Error ? e.message : String(e));
  }
}

/** Drives a simulator running in another process through `/_sim/rpc/{method}`. */
export function createControlClient(url: string): RemoteSimulatorControl {
  const base = url.replace(/\/+$/, '');
  const call = async (method: string, args: unknown[]): Promise<unknown> => {
    const res = await fetch(`${base}/_sim/rpc/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ args }),
    });
    const data = (await res.json()) as { result?: unknown; error?: string };
    if (!res.ok) throw new Error(`simulator control ${method} failed (${res.status}): ${data.error ?? ''}`);
    return data.result;
  };
  const client: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const m of METHODS) client[m] = (...args: unknown[]) => call(m, args);
  return client as unknown as RemoteSimulatorControl;
}
