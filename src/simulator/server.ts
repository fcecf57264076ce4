/** The HTTP side of the simulator: routing, auth, search endpoints, faults, stats. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Buffer } from 'node:buffer';
import { FaultEngine, TokenBucket } from './faults.ts';
import { compileJql, JqlError, parseJql, type CompiledJql, type SortKey } from './jql.ts';
import { PrerenderedIssues } from './prerender.ts';
import { rangeQuery, type RangeQuery } from './rangeQuery.ts';
import { hashString } from './prng.ts';
import { Renderer, resolveFields, type ApiVersion, type FieldSelection } from './render.ts';
import { defaultProjects, SimError, Store, type IssueState, type Project, type SearchResult, type SimUser } from './store.ts';
import { assertTimeZone, formatJiraTimestamp } from './time.ts';
import { handleControlRequest, makeControl } from './control.ts';
import type {
  FaultRule,
  RateLimitConfig,
  RequestLogEntry,
  SimulatorAuth,
  SimulatorControl,
  SimulatorFlavor,
  SimulatorOptions,
  SimulatorStats,
} from './types.ts';

export interface Reply {
  status: number;
  /** A search page built from prerendered issues is a list of byte chunks, written as they are. */
  body: string | Buffer[];
  headers?: Record<string, string | number>;
  contentType?: string;
  /** issues contained in a search page */
  issues?: number;
  page?: boolean;
}

interface ReqCtx {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  params: string[];
  api: ApiVersion;
  /** A `drop-issue` fault: leave the middle issue out of this search page. */
  dropIssue: boolean;
  /** Whether an issue was left out (a count or an empty page has none to lose). */
  dropped: boolean;
}

interface Route {
  methods: string[];
  re: RegExp;
  name: (api: string) => string;
  auth: boolean;
  handler: (c: ReqCtx) => Reply;
}

const JSON_TYPE = 'application/json;charset=UTF-8';
const REMOVED_SEARCH =
  'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046';
const UNBOUNDED = 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.';
const BAD_TOKEN = 'The provided next page token is invalid or expired.';
const LOG_SIZE = 10_000;
const DAY = 86_400_000;

export function jiraError(status: number, ...messages: string[]): Reply {
  return { status, body: JSON.stringify({ errorMessages: messages, errors: {} }) };
}
function json(value: unknown, status = 200): Reply {
  return { status, body: JSON.stringify(value) };
}

function intParam(raw: unknown, name: string, def: number): number {
  if (raw === undefined || raw === null || raw === '') return def;
  const n = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(n)) throw new SimError(`The '${name}' parameter must be an integer.`, 400);
  return n;
}

interface Token {
  h: number;
  k: SortKey;
}
function encodeToken(t: Token): string {
  return Buffer.from(JSON.stringify({ v: 1, h: t.h, k: t.k })).toString('base64url');
}
function decodeToken(s: string): Token | null {
  try {
    const o = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as { v?: unknown; h?: unknown; k?: unknown };
    if (o.v !== 1 || typeof o.h !== 'number' || !Array.isArray(o.k)) return null;
    if (!o.k.every((x) => typeof x === 'number' || typeof x === 'string')) return null;
    return { h: o.h, k: o.k as SortKey };
  } catch {
    return null;
  }
}

/** First index in [lo, hi) whose key sorts strictly after `pos` (hi if none). */
function upperBound(keys: SortKey[], lo: number, hi: number, pos: SortKey, cmp: (a: SortKey, b: SortKey) => number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(keys[mid] as SortKey, pos) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A Jira version's numbers (`9.12.15` → [9, 12, 15]); throws a SimError (400) for anything else. */
export function parseServerVersion(version: string): number[] {
  const match = /^(\d{1,5})\.(\d{1,5})\.(\d{1,5})(-[A-Za-z0-9.]+)?$/.exec(version);
  if (!match) throw new SimError(`version must look like 9.12.15 or 1001.0.0-SNAPSHOT, got '${version}'`, 400);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

export class SimServer {
  readonly flavor: SimulatorFlavor;
  readonly store: Store;
  readonly siteTz: string;
  readonly userTz: string;
  readonly auth: SimulatorAuth;
  readonly dcMaxResults: number;
  readonly dcPagingWindow: number;
  readonly anchor: number;
  readonly me: SimUser;
  readonly faults: FaultEngine;
  readonly control: SimulatorControl;
  latencyMs: number;
  /** What serverInfo reports (see SimulatorOptions.serverVersion). */
  private serverVersion!: { version: string; numbers: number[] };
  bucket: TokenBucket | null = null;
  clockOffset = 0;
  url = '';
  /** What `self` links and serverInfo call the site (see SimulatorOptions.baseUrl). */
  siteUrl = '';
  private readonly configuredBaseUrl: string | undefined;
  renderer!: Renderer;
  /** Set when SimulatorOptions.prerender is on. */
  prerendered: PrerenderedIssues | null = null;
  private readonly prerender: boolean;

  private readonly baseNow: () => number;
  private readonly http: Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<{ t: NodeJS.Timeout; resolve: () => void }>();
  private closed = false;
  private readonly routes: Route[];
  private requestSeq = 0;

  // stats
  private st!: SimulatorStats;
  private log: RequestLogEntry[] = [];
  private logHead = 0;

  constructor(o: SimulatorOptions) {
    this.flavor = o.flavor ?? 'cloud';
    if (this.flavor !== 'cloud' && this.flavor !== 'datacenter') throw new Error(`unknown flavor '${String(this.flavor)}'`);
    this.siteTz = o.siteTimeZone ?? 'America/New_York';
    this.userTz = o.userTimeZone ?? 'Asia/Kolkata';
    assertTimeZone(this.siteTz);
    assertTimeZone(this.userTz);
    this.auth = o.auth ?? (this.flavor === 'cloud' ? { email: 'demo@example.com', apiToken: 'demo-token' } : { pat: 'demo-pat' });
    this.dcMaxResults = o.dcMaxResults ?? 1000;
    this.dcPagingWindow = o.dcPagingWindow ?? 10_000;
    this.latencyMs = o.latencyMs ?? 0;
    this.setServerVersion(o.serverVersion ?? (this.flavor === 'cloud' ? '1001.0.0-SNAPSHOT' : '9.12.15'));
    this.configuredBaseUrl = o.baseUrl;
    this.prerender = o.prerender ?? false;
    this.baseNow = o.now ?? Date.now;
    const seed = o.seed ?? 1;
    const startNow = this.baseNow();
    // Generated data is anchored at UTC midnight of the start day: same seed + same day → same data.
    this.anchor = o.dataAnchor ?? Math.floor(startNow / DAY) * DAY;
    if (!Number.isFinite(this.anchor)) throw new Error('dataAnchor must be a finite epoch-ms number');
    const projects = Array.isArray(o.projects)
      ? o.projects.map((p) => ({
          key: p.key,
          name: p.name ?? p.key.charAt(0) + p.key.slice(1).toLowerCase() + ' Project',
          issues: p.issues,
        }))
      : defaultProjects(o.projects ?? 3, o.issuesPerProject ?? 40);
    const meName = 'username' in this.auth && this.auth.username ? this.auth.username : 'demo';
    this.store = new Store({
      seed,
      projects,
      anchor: this.anchor,
      now: () => this.now(),
      currentUser: { email: 'email' in this.auth ? this.auth.email : `${meName}@example.com`, name: meName },
    });
    this.store.setSearchResolution(o.searchResolution ?? 'millisecond');
    this.me = this.store.users[0] as SimUser;
    this.faults = new FaultEngine(seed);
    if (o.rateLimit) this.bucket = new TokenBucket(o.rateLimit, startNow);
    this.resetStats();
    this.routes = this.buildRoutes();
    this.control = makeControl(this);
    this.http = createServer({ keepAlive: true }, (req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(500, { 'Content-Type': JSON_TYPE });
          res.end(JSON.stringify({ errorMessages: [`Internal server error: ${String(err)}`], errors: {} }));
        }
      });
    });
    this.http.on('connection', (s: Socket) => {
      this.sockets.add(s);
      this.st.connectionsOpened++;
      this.st.maxOpenConnections = Math.max(this.st.maxOpenConnections, this.sockets.size);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  now(): number {
    return this.baseNow() + this.clockOffset;
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, '127.0.0.1', () => {
        this.http.off('error', reject);
        resolve();
      });
    });
    const addr = this.http.address();
    if (!addr || typeof addr === 'string') throw new Error('no address');
    this.url = `http://127.0.0.1:${addr.port}`;
    this.siteUrl = this.configuredBaseUrl?.replace(/\/+$/, '') ?? this.url;
    this.renderer = new Renderer(this.store, this.siteUrl, this.flavor, this.siteTz);
    if (this.prerender) {
      const prerendered = new PrerenderedIssues(this.renderer);
      // What a sync asks for page after page: *navigable, over v3 on Cloud and v2 on Data Center.
      const live = this.store.projects.flatMap((p) => p.issues.filter((i) => !i.del));
      prerendered.prerender(live, resolveFields(['*navigable'], this.flavor), this.flavor === 'cloud' ? 3 : 2);
      this.store.onIssueChange = (id) => prerendered.forget(id);
      this.prerendered = prerendered;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) {
      clearTimeout(t.t);
      t.resolve();
    }
    this.timers.clear();
    const done = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeAllConnections();
    for (const s of this.sockets) s.destroy();
    await done;
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const entry = {
        t: setTimeout(() => {
          this.timers.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      this.timers.add(entry);
    });
  }

  // ------------------------------------------------------------ stats

  resetStats(): void {
    this.st = {
      totalRequests: 0,
      requests: {},
      statuses: {},
      issuesServed: 0,
      pagesServed: 0,
      bytesServed: 0,
      faults: {},
      connectionsOpened: 0,
      maxOpenConnections: 0,
    };
    this.log = [];
    this.logHead = 0;
  }
  stats(): SimulatorStats {
    return structuredClone(this.st);
  }
  requestLog(): RequestLogEntry[] {
    return this.log.length < LOG_SIZE ? [...this.log] : [...this.log.slice(this.logHead), ...this.log.slice(0, this.logHead)];
  }
  private record(e: RequestLogEntry, route: string, reply: Reply | null, bytes: number): void {
    this.st.totalRequests++;
    this.st.requests[route] = (this.st.requests[route] ?? 0) + 1;
    const sk = String(e.status);
    this.st.statuses[sk] = (this.st.statuses[sk] ?? 0) + 1;
    this.st.bytesServed += bytes;
    if (e.fault) this.st.faults[e.fault] = (this.st.faults[e.fault] ?? 0) + 1;
    if (reply?.page && reply.status === 200 && !e.fault) {
      this.st.pagesServed++;
      this.st.issuesServed += reply.issues ?? 0;
    }
    if (this.log.length < LOG_SIZE) this.log.push(e);
    else {
      this.log[this.logHead] = e;
      this.logHead = (this.logHead + 1) % LOG_SIZE;
    }
  }

  // ------------------------------------------------------------ request handling

  private async readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req as AsyncIterable<Buffer>) {
      size += c.length;
      if (size > 16 * 1024 * 1024) throw new SimError('Request body too large', 413);
      chunks.push(c);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  private match(method: string, path: string): { route: Route; params: string[] } | 'method' | null {
    let methodMismatch = false;
    for (const r of this.routes) {
      const m = r.re.exec(path);
      if (!m) continue;
      if (!r.methods.includes(method)) {
        methodMismatch = true;
        continue;
      }
      return { route: r, params: m.slice(1).map((x) => decodeURIComponent(x ?? '')) };
    }
    return methodMismatch ? 'method' : null;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = this.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const rawUrl = req.url ?? '/';
    const u = new URL(rawUrl, 'http://127.0.0.1');
    const path = u.pathname;

    if (path === '/_sim' || path.startsWith('/_sim/')) {
      const body = await this.readBody(req);
      const r = handleControlRequest(this, method, path, u.searchParams, body);
      this.send(res, r);
      return;
    }

    let bodyText = '';
    try {
      bodyText = await this.readBody(req);
    } catch {
      /* client went away */
    }
    if (this.closed) return;

    const m = this.match(method, path);
    const routeName = m && m !== 'method' ? `${method} ${m.route.name(path.split('/')[3] ?? '')}` : `${method} (unmatched)`;
    const fault = this.faults.pick(rawUrl, bodyText);
    const entry: RequestLogEntry = { at, method, path: rawUrl, status: 0 };

    if (this.latencyMs > 0) await this.sleep(this.latencyMs);
    if (this.closed) return;

    if (fault) {
      entry.fault = fault.kind;
      switch (fault.kind) {
        case 'reset':
          this.record(entry, routeName, null, 0);
          req.socket.destroy();
          return;
        case 'rate-limit':
        case 'quota':
          return this.finish(res, entry, routeName, this.rateLimited(fault));
        case 'status': {
          const status = fault.status ?? 503;
          const msg =
            status === 500
              ? 'Internal server error'
              : status === 502
                ? 'Bad Gateway'
                : status === 503
                  ? 'Service Unavailable'
                  : 'Gateway Timeout';
          const r = jiraError(status, msg);
          if (fault.retryAfterSeconds !== undefined && status === 503) r.headers = { 'Retry-After': fault.retryAfterSeconds };
          return this.finish(res, entry, routeName, r);
        }
        case 'html-401':
          return this.finish(res, entry, routeName, this.html401());
        case 'not-found':
          return this.finish(res, entry, routeName, jiraError(404, `null for uri: ${this.url}${rawUrl}`));
        case 'slow':
          await this.sleep(fault.delayMs ?? 1000);
          if (this.closed) return;
          break;
        default:
          break;
      }
    }

    if (this.bucket) {
      const wait = this.bucket.take(this.now());
      if (wait > 0) {
        entry.fault = 'token-bucket';
        return this.finish(res, entry, routeName, this.rateLimited({ kind: 'rate-limit', retryAfterSeconds: wait }));
      }
    }

    let reply: Reply;
    if (m === null) {
      reply = jiraError(404, `null for uri: ${this.url}${rawUrl}`);
    } else if (m === 'method') {
      reply = { status: 405, body: '' };
    } else {
      const authResult = m.route.auth ? this.authenticate(req) : 'ok';
      if (authResult !== 'ok') reply = this.unauthorized(authResult);
      else {
        let body: unknown = undefined;
        if (bodyText.trim() !== '') {
          try {
            body = JSON.parse(bodyText) as unknown;
          } catch {
            body = Symbol.for('invalid');
          }
        }
        const api = (path.split('/')[3] === '3' ? 3 : 2) as ApiVersion;
        const ctx: ReqCtx = {
          method,
          path,
          query: u.searchParams,
          body,
          params: m.params,
          api,
          dropIssue: fault?.kind === 'drop-issue',
          dropped: false,
        };
        try {
          if (body === Symbol.for('invalid'))
            throw new SimError('Invalid request payload. Refer to the REST API documentation and try again.', 400);
          reply = m.route.handler(ctx);
          // A fault meant to lose an issue waits for a page that has one to lose.
          if (ctx.dropIssue && !ctx.dropped) this.faults.refund(fault!);
        } catch (err) {
          if (err instanceof JqlError) reply = err.status === 403 ? { status: 403, body: '' } : jiraError(err.status, err.message);
          else if (err instanceof SimError) reply = err.status === 403 ? { status: 403, body: '' } : jiraError(err.status, err.message);
          else throw err;
        }
      }
    }

    if (fault && (fault.kind === 'truncated' || fault.kind === 'malformed') && reply.status === 200) {
      if (fault.kind === 'malformed') {
        const text = typeof reply.body === 'string' ? reply.body : Buffer.concat(reply.body).toString('utf8');
        const half = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
        return this.finish(res, entry, routeName, { ...reply, body: half + '<<<\u0000 not json' });
      }
      const full = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : Buffer.concat(reply.body);
      entry.status = 200;
      this.record(entry, routeName, reply, full.length >> 1);
      res.writeHead(200, { 'Content-Type': reply.contentType ?? JSON_TYPE, 'Content-Length': full.length, ...this.commonHeaders() });
      res.write(full.subarray(0, Math.max(1, full.length >> 1)), () => res.destroy());
      return;
    }
    this.finish(res, entry, routeName, reply);
  }

  private commonHeaders(): Record<string, string> {
    return { 'X-AREQUESTID': `${(++this.requestSeq).toString(36)}x${this.requestSeq % 997}` };
  }

  private finish(res: ServerResponse, entry: RequestLogEntry, route: string, reply: Reply): void {
    entry.status = reply.status;
    const bytes = this.send(res, reply);
    this.record(entry, route, reply, bytes);
  }

  private send(res: ServerResponse, reply: Reply): number {
    if (res.destroyed || this.closed) return 0;
    const chunks = typeof reply.body === 'string' ? [Buffer.from(reply.body, 'utf8')] : reply.body;
    let length = 0;
    for (const chunk of chunks) length += chunk.length;
    const headers: Record<string, string | number> = {
      ...this.commonHeaders(),
      ...(length > 0 ? { 'Content-Type': reply.contentType ?? JSON_TYPE } : {}),
      'Content-Length': length,
      ...reply.headers,
    };
    res.writeHead(reply.status, headers);
    if (chunks.length === 1) res.end(chunks[0]);
    else {
      // Corked: the chunks leave in one writev, without being copied into one buffer first.
      res.cork();
      for (const chunk of chunks) res.write(chunk);
      res.end();
      res.uncork();
    }
    return length;
  }

  private rateLimited(f: FaultRule): Reply {
    const quota = f.kind === 'quota';
    const ra = f.retryAfterSeconds ?? (quota ? 1800 : 1);
    const headers: Record<string, string | number> = {
      'Retry-After': ra,
      'X-RateLimit-Limit': this.bucket?.config.burst ?? (quota ? 65000 : 100),
      'X-RateLimit-Remaining': 0,
      'X-RateLimit-Reset': new Date(this.now() + ra * 1000).toISOString(),
      'RateLimit-Reason': quota ? 'jira-quota-tenant-based' : 'jira-burst-based',
      'X-RateLimit-NearLimit': 'true',
    };
    if (this.flavor === 'datacenter') {
      headers['X-RateLimit-FillRate'] = this.bucket?.config.requestsPerSecond ?? 10;
      headers['X-RateLimit-Interval-Seconds'] = 1;
    }
    return { status: 429, body: JSON.stringify({ errorMessages: ['Rate limit exceeded.'], errors: {} }), headers };
  }

  // ------------------------------------------------------------ auth

  private authenticate(req: IncomingMessage): 'ok' | 'missing' | 'bad' {
    const h = req.headers.authorization;
    if (!h) return 'missing';
    const sp = h.indexOf(' ');
    const scheme = (sp < 0 ? h : h.slice(0, sp)).toLowerCase();
    const cred = sp < 0 ? '' : h.slice(sp + 1).trim();
    const a = this.auth;
    if (scheme === 'basic') {
      const decoded = Buffer.from(cred, 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      const user = i < 0 ? decoded : decoded.slice(0, i);
      const pass = i < 0 ? '' : decoded.slice(i + 1);
      if ('email' in a) return user === a.email && pass === a.apiToken ? 'ok' : 'bad';
      if (a.username !== undefined && a.password !== undefined) return user === a.username && pass === a.password ? 'ok' : 'bad';
      return 'bad';
    }
    if (scheme === 'bearer' && 'pat' in a) return cred === a.pat ? 'ok' : 'bad';
    return 'bad';
  }

  private unauthorized(kind: 'missing' | 'bad'): Reply {
    const realm = `OAuth realm="${encodeURIComponent(this.url)}"`;
    if (this.flavor === 'datacenter') {
      const r = this.html401();
      r.headers = { 'WWW-Authenticate': realm, 'X-Seraph-LoginReason': kind === 'bad' ? 'AUTHENTICATED_FAILED' : 'AUTHENTICATION_DENIED' };
      return r;
    }
    if (kind === 'missing') {
      return {
        status: 401,
        body: JSON.stringify({
          errorMessages: ['You are not authenticated. Authentication required to perform this operation.'],
          errors: {},
        }),
        headers: { 'WWW-Authenticate': realm },
      };
    }
    return {
      status: 401,
      body: 'Client must be authenticated to access this resource.',
      contentType: 'text/plain;charset=UTF-8',
      headers: { 'WWW-Authenticate': realm },
    };
  }

  private html401(): Reply {
    return {
      status: 401,
      contentType: 'text/html;charset=UTF-8',
      body:
        '<!DOCTYPE html>\n<html lang="en"><head><title>Unauthorized (401)</title><meta charset="utf-8"></head>' +
        '<body id="jira" class="aui-layout aui-style-default page-type-message"><div class="aui-page-panel"><section>' +
        '<h1>Unauthorized (401)</h1><p>Encountered a <code>&quot;401 - Unauthorized&quot;</code> error while loading this page.</p>' +
        '<p>Basic Authentication Failure - Reason : AUTHENTICATED_FAILED</p></section></div></body></html>',
    };
  }

  // ------------------------------------------------------------ routes

  private buildRoutes(): Route[] {
    const cloud = this.flavor === 'cloud';
    const V = cloud ? '(?:2|3)' : '(?:2|latest)';
    const r = (methods: string[], pattern: string, name: string, auth: boolean, handler: (c: ReqCtx) => Reply): Route => ({
      methods,
      re: new RegExp('^/rest/api/' + V + pattern + '/?$'),
      name: (api) => `/rest/api/${api}${name}`,
      auth,
      handler,
    });
    const routes: Route[] = [
      r(['GET'], '/serverInfo', '/serverInfo', false, () => this.serverInfo()),
      r(['GET'], '/myself', '/myself', true, (c) => this.myself(c)),
      r(['GET'], '/issue/([^/]+)', '/issue/{issueIdOrKey}', true, (c) => this.getIssue(c)),
    ];
    if (cloud) {
      routes.push(
        r(['GET'], '/project/search', '/project/search', true, (c) => this.projectSearch(c)),
        r(['GET'], '/project', '/project', true, (c) => this.projectList(c)),
        r(['GET'], '/project/([^/]+)', '/project/{projectIdOrKey}', true, (c) => this.projectGet(c)),
        r(['GET', 'POST'], '/search/jql', '/search/jql', true, (c) => this.searchJql(c)),
        r(['POST'], '/search/approximate-count', '/search/approximate-count', true, (c) => this.approximateCount(c)),
        r(['GET', 'POST'], '/search', '/search', true, () => jiraError(410, REMOVED_SEARCH)),
      );
    } else {
      routes.push(
        r(['GET'], '/project', '/project', true, (c) => this.projectList(c)),
        r(['GET'], '/project/([^/]+)', '/project/{projectIdOrKey}', true, (c) => this.projectGet(c)),
        r(['GET', 'POST'], '/search', '/search', true, (c) => this.searchDc(c)),
      );
    }
    return routes;
  }

  setServerVersion(version: string): void {
    this.serverVersion = { version, numbers: parseServerVersion(version) };
  }

  private serverInfo(): Reply {
    const cloud = this.flavor === 'cloud';
    const [major = 0, minor = 0, patch = 0] = this.serverVersion.numbers;
    const o: Record<string, unknown> = {
      baseUrl: this.siteUrl,
      version: this.serverVersion.version,
      versionNumbers: this.serverVersion.numbers,
      deploymentType: cloud ? 'Cloud' : 'DataCenter',
      // Data Center's build number spells the version out (9.12.15 → 9120015); Cloud's is its own.
      buildNumber: cloud ? 100290 : major * 1_000_000 + minor * 10_000 + patch,
      buildDate: formatJiraTimestamp(this.anchor - 3 * DAY, this.siteTz),
    };
    if (!cloud) o.databaseBuildNumber = o.buildNumber;
    o.serverTime = formatJiraTimestamp(this.now(), this.siteTz);
    o.scmInfo = '5330f7d9b6410d68235d4366868d44403ee65a1a';
    o.serverTitle = cloud ? 'Jira' : 'Jira Data Center (simulated)';
    o.defaultLocale = { locale: 'en_US' };
    if (cloud) o.serverTimeZone = this.siteTz;
    return json(o);
  }

  private myself(c: ReqCtx): Reply {
    const u = this.me;
    const avatar = JSON.parse(this.renderer.avatarUrls('user', this.flavor === 'cloud' ? 'DU-0' : u.key)) as unknown;
    if (this.flavor === 'cloud') {
      return json({
        self: `${this.siteUrl}/rest/api/${c.api}/user?accountId=${u.accountId}`,
        accountId: u.accountId,
        accountType: 'atlassian',
        emailAddress: u.email,
        avatarUrls: avatar,
        displayName: u.displayName,
        active: true,
        timeZone: this.userTz,
        locale: 'en_US',
        groups: { size: 2, items: [] },
        applicationRoles: { size: 1, items: [] },
        expand: 'groups,applicationRoles',
      });
    }
    return json({
      self: `${this.siteUrl}/rest/api/2/user?username=${u.name}`,
      key: u.key,
      name: u.name,
      emailAddress: u.email,
      avatarUrls: avatar,
      displayName: u.displayName,
      active: true,
      deleted: false,
      timeZone: this.userTz,
      locale: 'en_US',
      groups: { size: 2, items: [] },
      applicationRoles: { size: 1, items: [] },
      expand: 'groups,applicationRoles',
    });
  }

  private listedProjects(): Project[] {
    return this.store.projects.filter((p) => this.store.isListed(p)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  private projectSearch(c: ReqCtx): Reply {
    const startAt = Math.max(0, intParam(c.query.get('startAt'), 'startAt', 0));
    const maxResults = Math.min(100, Math.max(1, intParam(c.query.get('maxResults'), 'maxResults', 50)));
    let list = this.listedProjects();
    const qtext = c.query.get('query');
    if (qtext) {
      const lq = qtext.toLowerCase();
      list = list.filter((p) => p.key.toLowerCase().includes(lq) || p.name.toLowerCase().includes(lq));
    }
    const keys = c.query
      .getAll('keys')
      .flatMap((k) => k.split(','))
      .map((k) => k.trim().toUpperCase())
      .filter(Boolean);
    if (keys.length) list = list.filter((p) => keys.includes(p.key));
    const page = list.slice(startAt, startAt + maxResults);
    const isLast = startAt + page.length >= list.length;
    const base = `${this.siteUrl}/rest/api/${c.api}/project/search`;
    const o: Record<string, unknown> = { self: `${base}?startAt=${startAt}&maxResults=${maxResults}` };
    if (!isLast) o.nextPage = `${base}?startAt=${startAt + maxResults}&maxResults=${maxResults}`;
    o.maxResults = maxResults;
    o.startAt = startAt;
    o.total = list.length;
    o.isLast = isLast;
    o.values = page.map((p) => this.renderer.projectListed(p, c.api));
    return json(o);
  }

  private projectList(c: ReqCtx): Reply {
    return json(this.listedProjects().map((p) => this.renderer.projectListed(p, c.api)));
  }

  private projectGet(c: ReqCtx): Reply {
    const v = c.params[0] ?? '';
    const p = this.store.findListedProject(v);
    if (!p || (p.name.toLowerCase() === v.toLowerCase() && p.key !== v.toUpperCase())) {
      return jiraError(404, `No project could be found with key '${v}'.`);
    }
    if (p.permission === 'none') return { status: 403, body: '' };
    return json(this.renderer.projectDetail(p, c.api));
  }

  private getIssue(c: ReqCtx): Reply {
    const v = (c.params[0] ?? '').toUpperCase();
    const issue = /^\d+$/.test(v)
      ? this.store.byId.get(Number(v))
      : (() => {
          try {
            return this.store.issue(v);
          } catch {
            return undefined;
          }
        })();
    const p = issue ? this.store.projects[issue.p] : undefined;
    if (!issue || issue.del || !p || !this.store.isBrowsable(p)) {
      return jiraError(404, 'Issue does not exist or you do not have permission to see it.');
    }
    const fieldsParam = c.query.getAll('fields');
    const sel = resolveFields(fieldsParam.length ? fieldsParam : ['*all'], this.flavor);
    const expand = (c.query.get('expand') ?? '').split(',').map((s) => s.trim());
    return {
      status: 200,
      body: this.renderer.issue(issue, sel.idOnly ? resolveFields(['key'], this.flavor) : sel, c.api, expand.includes('changelog')),
    };
  }

  // ------------------------------------------------------------ search

  /**
   * Parses and compiles a query; `result` finds what it matches in order, `count` how many —
   * range queries (rangeQuery.ts) by the fast path: a count needs no particular order, so any
   * range query counts from the view sorted by its ranged field (then key, as syncs page).
   */
  private find(jql: string): { compiled: CompiledJql<IssueState>; text: string; result: () => SearchResult; count: () => number } {
    const text = jql.trim();
    const query = parseJql(text);
    const env = this.store.jqlEnv(this.userTz, this.me);
    const compiled = compileJql(query, env);
    const general = () => this.store.search(text, compiled);
    const size = (r: SearchResult) => r.end - r.start;
    const range: RangeQuery | null = rangeQuery(query);
    if (!range) return { compiled, text, result: general, count: () => size(general()) };
    const inOrder = range.field === null || range.field === compiled.sortFields[0];
    const result = inOrder ? () => this.store.searchRange(compileJql(range.base, env), range) : general;
    const byField =
      range.field === null
        ? range.base
        : { ...range.base, orderBy: [range.field, 'key'].map((field) => ({ field, dir: 'asc' as const, pos: 0 })) };
    return { compiled, text, result, count: () => size(this.store.searchRange(compileJql(byField, env), range)) };
  }

  /** A page body: head, the issues separated by commas, tail — as byte chunks when issues are prerendered. */
  private page(
    head: string,
    issues: IssueState[],
    sel: FieldSelection,
    api: ApiVersion,
    withChangelog: boolean,
    tail: string,
  ): Reply['body'] {
    if (!this.prerendered) {
      let body = head;
      for (let i = 0; i < issues.length; i++)
        body += (i ? ',' : '') + this.renderer.issue(issues[i] as IssueState, sel, api, withChangelog);
      return body + tail;
    }
    const bytes = this.prerendered.bytesOf(sel, api, withChangelog);
    const chunks: Buffer[] = [Buffer.from(head, 'utf8')];
    for (let i = 0; i < issues.length; i++) chunks.push(bytes(issues[i] as IssueState, i > 0));
    chunks.push(Buffer.from(tail, 'utf8'));
    return chunks;
  }

  /** views[from, to) less the one a `drop-issue` fault leaves out of the middle. */
  private pageIssues(res: SearchResult, from: number, to: number, c: ReqCtx): IssueState[] {
    const dropped = c.dropIssue && to > from ? from + Math.floor((to - from) / 2) : -1;
    c.dropped ||= dropped >= 0;
    const out: IssueState[] = [];
    for (let i = from; i < to; i++) if (i !== dropped) out.push(res.views[i] as IssueState);
    return out;
  }

  private searchParams(c: ReqCtx): {
    jql: string;
    fields: unknown;
    expand: string[];
    maxResults: unknown;
    startAt: unknown;
    token: unknown;
  } {
    if (c.method === 'POST') {
      const b = (c.body ?? {}) as Record<string, unknown>;
      if (typeof b !== 'object' || Array.isArray(b))
        throw new SimError('Invalid request payload. Refer to the REST API documentation and try again.', 400);
      const exp = b.expand;
      const expand = (Array.isArray(exp) ? exp.map(String) : typeof exp === 'string' ? exp.split(',') : []).map((s) => s.trim());
      if (b.jql !== undefined && b.jql !== null && typeof b.jql !== 'string') throw new SimError('The jql must be a string.', 400);
      return {
        jql: (b.jql as string | undefined) ?? '',
        fields: b.fields,
        expand,
        maxResults: b.maxResults,
        startAt: b.startAt,
        token: b.nextPageToken,
      };
    }
    const q = c.query;
    const fields = q.getAll('fields');
    return {
      jql: q.get('jql') ?? '',
      fields: fields.length ? fields : undefined,
      expand: (q.getAll('expand').join(',') || '').split(',').map((s) => s.trim()),
      maxResults: q.get('maxResults') ?? undefined,
      startAt: q.get('startAt') ?? undefined,
      token: q.get('nextPageToken') ?? undefined,
    };
  }

  private searchJql(c: ReqCtx): Reply {
    const sp = this.searchParams(c);
    const { compiled, text, result } = this.find(sp.jql);
    if (!compiled.bounded) return jiraError(400, UNBOUNDED);
    const sel = resolveFields(sp.fields, 'cloud');
    const withChangelog = sp.expand.includes('changelog');
    const cap = sel.idOnly && !withChangelog ? 5000 : 100;
    const requested = intParam(sp.maxResults, 'maxResults', 50);
    const n = Math.min(cap, Math.max(1, requested));
    const h = hashString(text);
    let pos: SortKey | null = null;
    if (sp.token !== undefined && sp.token !== null && sp.token !== '') {
      const t = typeof sp.token === 'string' ? decodeToken(sp.token) : null;
      const keyLength = compiled.sortFields.reduce((sum, f) => sum + (f === 'key' ? 2 : 1), 0);
      if (!t || t.h !== h || t.k.length !== keyLength) {
        return jiraError(400, BAD_TOKEN);
      }
      pos = t.k;
    }
    const res = result();
    const start = pos ? upperBound(res.keys, res.start, res.end, pos, compiled.compareKeys) : res.start;
    const end = Math.min(res.end, start + n);
    const issues = this.pageIssues(res, start, end, c);
    const isLast = end >= res.end;
    const tail =
      ']' +
      (isLast ? '' : ',"nextPageToken":' + JSON.stringify(encodeToken({ h, k: res.keys[end - 1] as SortKey }))) +
      ',"isLast":' +
      isLast +
      '}';
    return { status: 200, body: this.page('{"issues":[', issues, sel, c.api, withChangelog, tail), issues: issues.length, page: true };
  }

  private approximateCount(c: ReqCtx): Reply {
    const sp = this.searchParams(c);
    const { compiled, count } = this.find(sp.jql);
    if (!compiled.bounded) return jiraError(400, UNBOUNDED);
    return json({ count: count() });
  }

  private searchDc(c: ReqCtx): Reply {
    const sp = this.searchParams(c);
    const { result, count } = this.find(sp.jql);
    const sel = resolveFields(sp.fields, 'datacenter');
    const startAt = Math.max(0, intParam(sp.startAt, 'startAt', 0));
    const maxResults = Math.min(this.dcMaxResults, Math.max(0, intParam(sp.maxResults, 'maxResults', 50)));
    if (startAt + maxResults > this.dcPagingWindow) {
      return jiraError(500, 'Internal server error');
    }
    if (maxResults === 0) {
      return {
        status: 200,
        body: `{"expand":"schema,names","startAt":${startAt},"maxResults":0,"total":${count()},"issues":[]}`,
        issues: 0,
        page: true,
      };
    }
    const withChangelog = sp.expand.includes('changelog');
    const res = result();
    const total = res.end - res.start;
    const from = Math.min(res.end, res.start + startAt);
    const issues = this.pageIssues(res, from, Math.min(res.end, from + maxResults), c);
    const head = `{"expand":"schema,names","startAt":${startAt},"maxResults":${maxResults},"total":${total},"issues":[`;
    return { status: 200, body: this.page(head, issues, sel, 2, withChangelog, ']}'), issues: issues.length, page: true };
  }

  // ------------------------------------------------------------ control helpers

  setRateLimit(cfg: RateLimitConfig | null): void {
    this.bucket = cfg ? new TokenBucket(cfg, this.now()) : null;
  }
  setFaults(rules: FaultRule[]): void {
    this.faults.set(rules);
  }
}
