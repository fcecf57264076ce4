/**
 * Browser preview: serves the built renderer and carries the contract over HTTP + SSE, so the same
 * React UI runs in any browser against a Node back end (no Electron needed).
 *
 * Protocol (all on 127.0.0.1 only):
 * - `GET /…`                  static files of the built renderer (`index.html` for unknown non-asset paths).
 * - `POST /api/call/:name`    body = the call's JSON input; answers 200 with the `Result` of
 *                             `backend.dispatch(name, input)`. Needs `Authorization: Bearer <token>`.
 * - `GET /api/events?token=…` server-sent events: `event: <EventName>` + `data: <json>` for every
 *                             back-end event, and a `: heartbeat` comment every 15 s.
 *
 * Transport failures are answered with a `Result`-shaped body too, so the client handles one shape:
 * - 401 `UNAVAILABLE`  missing or wrong token
 * - 403 `UNAVAILABLE`  Host header not `127.0.0.1:PORT` / `localhost:PORT` (DNS rebinding), or a foreign Origin
 * - 404 `NOT_FOUND`    unknown call name or API route
 * - 405 `VALIDATION`   wrong method
 * - 413 `VALIDATION`   body larger than the limit (1 MB)
 * - 415 `VALIDATION`   body not declared as application/json
 * - 400 `VALIDATION`   body is not valid JSON
 * Request bodies are never logged; the back end never returns secrets.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import { CALL_NAMES, type ApiError, type ErrorCode, type EventName, type Events } from '../shared/contract.ts';
import type { Backend } from '../service/backend.ts';
import { CONTENT_SECURITY_POLICY, contentTypeOf } from '../service/rendererAssets.ts';

export { CONTENT_SECURITY_POLICY };

export const MAX_BODY_BYTES = 1024 * 1024;
export const HEARTBEAT_MS = 15_000;

export interface PreviewServerOptions {
  backend: Backend;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The built renderer (`out/renderer`). */
  rendererDir: string;
  /** Defaults to a random per-launch token. */
  token?: string;
  /** SSE heartbeat interval; tests shorten it. */
  heartbeatMs?: number;
}

export interface PreviewServer {
  /** `http://127.0.0.1:PORT/?token=…`: open this in a browser. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const CALLS = new Set<string>(CALL_NAMES);

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export async function startPreviewServer(options: PreviewServerOptions): Promise<PreviewServer> {
  const { backend } = options;
  const token = options.token ?? newToken();
  if (token.length < 16) throw new Error('preview token must be at least 16 characters');
  const tokenBytes = Buffer.from(token, 'utf8');
  const root = resolve(options.rendererDir);
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  const streams = new Set<ServerResponse>();
  const closers = new Set<() => void>();
  let port = 0;

  const tokenMatches = (candidate: string | null | undefined): boolean => {
    if (!candidate) return false;
    const bytes = Buffer.from(candidate, 'utf8');
    return bytes.length === tokenBytes.length && timingSafeEqual(bytes, tokenBytes);
  };

  const allowedHosts = (): Set<string> => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = (): Set<string> => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      // Never echo internals (or a request body) back; the socket may already be half-written.
      if (!res.headersSent) sendError(res, 500, 'INTERNAL', 'internal error in the preview server');
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setCommonHeaders(res);
    const host = (req.headers.host ?? '').toLowerCase();
    if (!allowedHosts().has(host)) {
      sendError(res, 403, 'UNAVAILABLE', 'this preview only answers requests addressed to 127.0.0.1 or localhost');
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin.toLowerCase())) {
      sendError(res, 403, 'UNAVAILABLE', 'cross-origin requests are not allowed');
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://${host}`);
    } catch {
      sendError(res, 400, 'VALIDATION', 'malformed request URL');
      return;
    }
    const path = url.pathname;
    if (path === '/api' || path.startsWith('/api/')) {
      res.setHeader('Cache-Control', 'no-store');
      if (path.startsWith('/api/call/')) return handleCall(req, res, path.slice('/api/call/'.length));
      if (path === '/api/events') return handleEvents(req, res, url);
      sendError(res, 404, 'NOT_FOUND', `no API route ${path}`);
      return;
    }
    return handleStatic(req, res, path);
  }

  async function handleCall(req: IncomingMessage, res: ServerResponse, rawName: string): Promise<void> {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      sendError(res, 405, 'VALIDATION', 'API calls must use POST');
      return;
    }
    const auth = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!tokenMatches(match?.[1])) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      sendError(res, 401, 'UNAVAILABLE', 'missing or invalid preview token; open the URL printed when the preview started');
      return;
    }
    if (!CALLS.has(rawName)) {
      sendError(res, 404, 'NOT_FOUND', `unknown call "${rawName.slice(0, 64)}"`);
      return;
    }
    const contentType = (req.headers['content-type'] ?? '').toLowerCase();
    const declaredLength = Number(req.headers['content-length'] ?? 0);
    if (declaredLength > MAX_BODY_BYTES) {
      sendError(res, 413, 'VALIDATION', `request body exceeds ${MAX_BODY_BYTES} bytes`);
      req.resume();
      return;
    }
    let body: string;
    try {
      body = await readBody(req, MAX_BODY_BYTES);
    } catch {
      sendError(res, 413, 'VALIDATION', `request body exceeds ${MAX_BODY_BYTES} bytes`);
      return;
    }
    let input: unknown = {};
    if (body.trim() !== '') {
      if (!contentType.startsWith('application/json')) {
        sendError(res, 415, 'VALIDATION', 'request body must be application/json');
        return;
      }
      try {
        input = JSON.parse(body);
      } catch {
        sendError(res, 400, 'VALIDATION', 'request body is not valid JSON');
        return;
      }
    }
    const result = await backend.dispatch(rawName, input);
    sendJson(res, 200, result);
  }

  function handleEvents(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (req.method !== 'GET') {
      res.setHeader('Allow', 'GET');
      sendError(res, 405, 'VALIDATION', 'the event stream is read with GET');
      return;
    }
    if (!tokenMatches(url.searchParams.get('token'))) {
      sendError(res, 401, 'UNAVAILABLE', 'missing or invalid preview token');
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    req.socket.setNoDelay(true);
    req.socket.setTimeout(0);
    res.write('retry: 2000\n: connected\n\n');
    streams.add(res);

    const unsubscribe = backend.subscribe(<E extends EventName>(event: E, payload: Events[E]) => {
      // JSON.stringify without indentation never emits a raw newline, so one data line suffices.
      res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
    heartbeat.unref();
    const cleanup = (): void => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(res);
      closers.delete(cleanup);
    };
    closers.add(cleanup);
    req.on('close', cleanup);
    res.on('close', cleanup);
    res.on('error', cleanup);
  }

  async function handleStatic(req: IncomingMessage, res: ServerResponse, rawPath: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      sendError(res, 405, 'VALIDATION', 'only GET and HEAD are served');
      return;
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(rawPath);
    } catch {
      sendError(res, 400, 'VALIDATION', 'malformed path');
      return;
    }
    if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').includes('..')) {
      sendError(res, 400, 'VALIDATION', 'invalid path');
      return;
    }
    const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
    const file = resolve(root, relative);
    if (file !== root && !file.startsWith(root + sep)) {
      sendError(res, 400, 'VALIDATION', 'invalid path');
      return;
    }
    const info = await stat(file).catch(() => null);
    if (info?.isFile()) {
      await sendFile(req, res, file, info.size, decoded.startsWith('/assets/'));
      return;
    }
    // Client-side routes fall back to the app; a missing asset (anything with an extension) is a 404.
    if (decoded.startsWith('/assets/') || extname(decoded) !== '') {
      res.statusCode = 404;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end('Not found\n');
      return;
    }
    const index = resolve(root, 'index.html');
    const indexInfo = await stat(index).catch(() => null);
    if (!indexInfo?.isFile()) {
      res.statusCode = 503;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end('The renderer is not built: run `npx electron-vite build` first.\n');
      return;
    }
    await sendFile(req, res, index, indexInfo.size, false);
  }

  function sendFile(req: IncomingMessage, res: ServerResponse, file: string, size: number, immutable: boolean): Promise<void> {
    const type = contentTypeOf(file);
    res.statusCode = 200;
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Length', size);
    if (type.startsWith('text/html')) {
      res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      res.setHeader('Cache-Control', 'no-store');
    } else {
      res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    }
    if (req.method === 'HEAD') {
      res.end();
      return Promise.resolve();
    }
    return new Promise((done) => {
      const stream = createReadStream(file);
      stream.on('error', () => {
        res.destroy();
        done();
      });
      res.on('close', () => {
        stream.destroy();
        done();
      });
      stream.pipe(res);
    });
  }

  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen({ host: '127.0.0.1', port: options.port ?? 0 }, () => {
      server.off('error', fail);
      ready();
    });
  });
  port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}/?token=${encodeURIComponent(token)}`,
    port,
    token,
    close() {
      closing ??= new Promise<void>((done) => {
        for (const cleanup of [...closers]) cleanup();
        for (const stream of streams) stream.end();
        server.close(() => done());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function setCommonHeaders(res: ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

function sendError(res: ServerResponse, status: number, code: ErrorCode, message: string): void {
  const error: ApiError = { code, message };
  sendJson(res, status, { ok: false, error });
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        fail(new Error('body too large'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) done(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (error) => {
      if (!failed) {
        failed = true;
        fail(error);
      }
    });
  });
}
