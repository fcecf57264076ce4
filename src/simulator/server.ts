/**
 * The HTTP side of the simulator: the server's lifecycle and state, and the pipeline every request
 * goes through (latency, faults, rate limit, auth, the route, stats). The routes are in routes.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Buffer } from 'node:buffer';
import { authenticate, html401, unauthorized } from './auth.ts';
import { rateLimited, statusFault } from './faultReplies.ts';
import { FaultEngine, TokenBucket } from './faults.ts';
import { JqlError } from './jql.ts';
import { PrerenderedIssues } from './prerender.ts';
import { resolveFields } from './fieldSelection.ts';
import { Renderer, type ApiVersion } from './render.ts';
import { jiraError, JSON_TYPE, type Reply } from './reply.ts';
import { buildRoutes, matchRoute, type ReqCtx, type Route } from './routes.ts';
import { RequestStats } from './stats.ts';
import { defaultProjects } from './catalog.ts';
import { SimError } from './model.ts';
import { Store } from './store.ts';
import type { SimUser } from './users.ts';
import { assertTimeZone } from './time.ts';
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

const DAY = 86_400_000;

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
  /** What serverInfo reports (see SimulatorOptions.serverVersion); set through setServerVersion, which checks it. */
  serverVersion!: { version: string; numbers: number[] };
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
  private readonly requestStats = new RequestStats();

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
    this.routes = buildRoutes(this);
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
      this.requestStats.connectionOpened(this.sockets.size);
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
    this.requestStats.reset();
  }
  stats(): SimulatorStats {
    return this.requestStats.stats();
  }
  requestLog(): RequestLogEntry[] {
    return this.requestStats.requestLog();
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

    const m = matchRoute(this.routes, method, path);
    const routeName = m && m !== 'method' ? `${method} ${m.route.name(path.split('/')[3] ?? '')}` : `${method} (unmatched)`;
    const fault = this.faults.pick(rawUrl, bodyText);
    const entry: RequestLogEntry = { at, method, path: rawUrl, status: 0 };

    if (this.latencyMs > 0) await this.sleep(this.latencyMs);
    if (this.closed) return;

    if (fault) {
      entry.fault = fault.kind;
      switch (fault.kind) {
        case 'reset':
          this.requestStats.record(entry, routeName, null, 0);
          req.socket.destroy();
          return;
        case 'rate-limit':
        case 'quota':
          return this.finish(res, entry, routeName, rateLimited(this, fault));
        case 'status':
          return this.finish(res, entry, routeName, statusFault(fault));
        case 'html-401':
          return this.finish(res, entry, routeName, html401());
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
        return this.finish(res, entry, routeName, rateLimited(this, { kind: 'rate-limit', retryAfterSeconds: wait }));
      }
    }

    let reply: Reply;
    if (m === null) {
      reply = jiraError(404, `null for uri: ${this.url}${rawUrl}`);
    } else if (m === 'method') {
      reply = { status: 405, body: '' };
    } else {
      const authResult = m.route.auth ? authenticate(req, this.auth) : 'ok';
      if (authResult !== 'ok') reply = unauthorized(authResult, this.flavor, this.url);
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
      this.requestStats.record(entry, routeName, reply, full.length >> 1);
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
    this.requestStats.record(entry, route, reply, bytes);
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

  setServerVersion(version: string): void {
    this.serverVersion = { version, numbers: parseServerVersion(version) };
  }

  // ------------------------------------------------------------ control helpers

  setRateLimit(cfg: RateLimitConfig | null): void {
    this.bucket = cfg ? new TokenBucket(cfg, this.now()) : null;
  }
  setFaults(rules: FaultRule[]): void {
    this.faults.set(rules);
  }
}
