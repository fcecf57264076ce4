import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, Events, Result } from '../../src/shared/contract.ts';
import type { Backend } from '../../src/service/backend.ts';
import type { EventListener } from '../../src/service/events.ts';
import { memoryPreferenceStore } from '../../src/service/preferences.ts';
import type { Store } from '../../src/store/db.ts';
import type { Run } from '../../src/shared/model.ts';
import { CONTENT_SECURITY_POLICY, startPreviewServer, type PreviewServer } from '../../src/web/previewServer.ts';

/** A minimal Backend: records dispatches and lets the test emit events. */
function fakeBackend() {
  const listeners = new Set<EventListener>();
  const dispatched: Array<{ name: string; input: unknown }> = [];
  const backend: Backend = {
    async dispatch(name: string, input: unknown): Promise<Result<unknown>> {
      dispatched.push({ name, input });
      if (name === 'getActiveSync') return { ok: true, data: { runId: null } };
      if (name === 'startSync') return { ok: false, error: { code: 'CONFLICT', message: 'a sync is already running' } };
      return { ok: true, data: { echo: input } };
    },
    call: (() => Promise.reject(new Error('not used'))) as Backend['call'],
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    waitForRun: () => Promise.reject(new Error('not used')),
    startSync: () => Promise.reject(new Error('not used')),
    preferences: memoryPreferenceStore(),
    power: { suspend: () => {}, resume: () => {} },
    store: {} as Store,
    close: async () => {},
  };
  const emit = <E extends EventName>(event: E, payload: Events[E]): void => {
    for (const listener of listeners) listener(event, payload);
  };
  return { backend, dispatched, emit, listenerCount: () => listeners.size };
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<Reply> {
  return new Promise((done, fail) => {
    const req = request(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', fail);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

const run: Run = {
  id: '7d1f7a8e-3c2b-4b8a-9a43-2f5e6d7c8b90',
  status: 'running',
  initiatedBy: 'preview',
  startedAt: '2026-11-28T10:00:00.000Z',
  completedAt: null,
  durationMs: null,
  totalProjects: 3,
  successfulProjects: 0,
  failedProjects: 0,
  totalIssues: 0,
  issuesCreated: 0,
  issuesUpdated: 0,
  issuesUnchanged: 0,
  issuesDeleted: 0,
  errorMessage: null,
  errorCategory: null,
};

describe('preview server', () => {
  let dir: string;
  let server: PreviewServer;
  let fake: ReturnType<typeof fakeBackend>;
  const TOKEN = 'test-token-0123456789abcdef';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jm-preview-'));
    const rendererDir = join(dir, 'renderer');
    mkdirSync(join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Jira Mirror</title><div id="root"></div>');
    writeFileSync(join(rendererDir, 'assets', 'app-abc123.js'), 'console.log("app")');
    writeFileSync(join(rendererDir, 'assets', 'app-abc123.css'), 'body{}');
    writeFileSync(join(dir, 'secret.txt'), 'outside the renderer');
    fake = fakeBackend();
    server = await startPreviewServer({ backend: fake.backend, rendererDir, token: TOKEN, heartbeatMs: 50 });
  });

  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const auth = () => ({ Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' });

  it('prints a 127.0.0.1 URL carrying the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${TOKEN}`);
    expect(server.token).toBe(TOKEN);
  });

  it('generates a random token when none is given', async () => {
    const other = await startPreviewServer({ backend: fake.backend, rendererDir: dir });
    try {
      expect(other.token).toMatch(/^[\w-]{32}$/);
      expect(other.token).not.toBe(TOKEN);
      expect(other.url).toContain(`?token=${other.token}`);
    } finally {
      await other.close();
    }
  });

  it('requires the bearer token on calls', async () => {
    const before = fake.dispatched.length;
    const missing = await send(server.port, {
      method: 'POST',
      path: '/api/call/listInstances',
      body: '{}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.body)).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    const wrong = await send(server.port, {
      method: 'POST',
      path: '/api/call/listInstances',
      body: '{}',
      headers: { Authorization: 'Bearer not-the-token-at-all-xx', 'Content-Type': 'application/json' },
    });
    expect(wrong.status).toBe(401);
    expect(fake.dispatched.length).toBe(before);
  });

  it('rejects a foreign Host header (DNS rebinding) and a cross-origin Origin', async () => {
    const rebinding = await send(server.port, {
      method: 'POST',
      path: '/api/call/listInstances',
      body: '{}',
      headers: { ...auth(), Host: `evil.example:${server.port}` },
    });
    expect(rebinding.status).toBe(403);
    const wrongPort = await send(server.port, { path: '/', headers: { Host: '127.0.0.1:1' } });
    expect(wrongPort.status).toBe(403);
    const crossOrigin = await send(server.port, {
      method: 'POST',
      path: '/api/call/listInstances',
      body: '{}',
      headers: { ...auth(), Origin: 'https://evil.example' },
    });
    expect(crossOrigin.status).toBe(403);
    const localhost = await send(server.port, {
      method: 'POST',
      path: '/api/call/listInstances',
      body: '{}',
      headers: { ...auth(), Host: `localhost:${server.port}`, Origin: `http://localhost:${server.port}` },
    });
    expect(localhost.status).toBe(200);
  });

  it('passes calls through to backend.dispatch and returns its Result with 200', async () => {
    const ok = await send(server.port, { method: 'POST', path: '/api/call/listRuns', body: '{"limit":25,"offset":0}', headers: auth() });
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(ok.body)).toEqual({ ok: true, data: { echo: { limit: 25, offset: 0 } } });
    expect(fake.dispatched.at(-1)).toEqual({ name: 'listRuns', input: { limit: 25, offset: 0 } });

    const failure = await send(server.port, { method: 'POST', path: '/api/call/startSync', body: '{}', headers: auth() });
    expect(failure.status).toBe(200);
    expect(JSON.parse(failure.body)).toEqual({ ok: false, error: { code: 'CONFLICT', message: 'a sync is already running' } });

    const emptyBody = await send(server.port, { method: 'POST', path: '/api/call/getActiveSync', headers: auth() });
    expect(JSON.parse(emptyBody.body)).toEqual({ ok: true, data: { runId: null } });
    expect(fake.dispatched.at(-1)).toEqual({ name: 'getActiveSync', input: {} });
  });

  it('answers bad requests with VALIDATION / NOT_FOUND Results', async () => {
    const before = fake.dispatched.length;
    const invalid = await send(server.port, { method: 'POST', path: '/api/call/listRuns', body: '{"limit":', headers: auth() });
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });

    const huge = await send(server.port, {
      method: 'POST',
      path: '/api/call/listRuns',
      body: JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 10) }),
      headers: auth(),
    });
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });

    const unknown = await send(server.port, { method: 'POST', path: '/api/call/dropDatabase', body: '{}', headers: auth() });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    const proto = await send(server.port, { method: 'POST', path: '/api/call/__proto__', body: '{}', headers: auth() });
    expect(proto.status).toBe(404);

    const getCall = await send(server.port, { path: '/api/call/listRuns', headers: auth() });
    expect(getCall.status).toBe(405);

    const form = await send(server.port, {
      method: 'POST',
      path: '/api/call/listRuns',
      body: 'limit=1',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    expect(fake.dispatched.length).toBe(before);
  });

  it('streams back-end events over SSE and unsubscribes on disconnect', async () => {
    const unauthorized = await send(server.port, { path: '/api/events?token=nope' });
    expect(unauthorized.status).toBe(401);

    const received = await new Promise<{ contentType: string | undefined; text: string }>((done, fail) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: `/api/events?token=${TOKEN}` }, (res) => {
        let text = '';
        let emitted = false;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          if (!emitted && text.includes(': connected')) {
            emitted = true;
            fake.emit('runUpdated', run);
            fake.emit('instancesChanged', {});
          }
          if (text.includes('event: instancesChanged') && text.includes(': heartbeat')) {
            req.destroy();
            done({ contentType: res.headers['content-type'], text });
          }
        });
      });
      req.on('error', (error) => {
        if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') fail(error);
      });
      req.end();
    });
    expect(received.contentType).toMatch(/^text\/event-stream/);
    expect(received.text).toContain(`event: runUpdated\ndata: ${JSON.stringify(run)}\n\n`);
    expect(received.text).toContain('event: instancesChanged\ndata: {}\n\n');
    await expect.poll(() => fake.listenerCount()).toBe(0);
  });

  it('serves the renderer with CSP and security headers, and falls back to index.html for routes', async () => {
    const index = await send(server.port, { path: '/' });
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(index.headers['referrer-policy']).toBe('no-referrer');
    expect(index.body).toContain('<title>Jira Mirror</title>');

    const js = await send(server.port, { path: '/assets/app-abc123.js' });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['x-content-type-options']).toBe('nosniff');
    const css = await send(server.port, { path: '/assets/app-abc123.css' });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');

    const route = await send(server.port, { path: '/history?page=2' });
    expect(route.status).toBe(200);
    expect(route.body).toContain('<title>Jira Mirror</title>');

    const missingAsset = await send(server.port, { path: '/assets/nope.js' });
    expect(missingAsset.status).toBe(404);

    const post = await send(server.port, { method: 'POST', path: '/', body: '' });
    expect(post.status).toBe(405);
  });

  it('blocks path traversal out of the renderer folder', async () => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/%5c..%5csecret.txt',
      '/a%00.js',
    ]) {
      const reply = await send(server.port, { path });
      expect(reply.body, path).not.toContain('outside the renderer');
      expect([400, 404], path).toContain(reply.status);
    }
  });
});
