import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type FaultRule, type RunningSimulator } from '../../src/simulator/index.ts';
import { client, CLOUD_AUTH, withSim } from './helpers.ts';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const SEARCH = { jql: 'project = DEMO', fields: ['summary'], maxResults: 20 };

/** Raw GET that reports what arrived on the socket even when the body is cut short. */
function rawGet(url: string): Promise<{ status: number; declared: number; received: number; complete: boolean; error?: string }> {
  return new Promise((resolve) => {
    const req = request(url, { headers: { Authorization: CLOUD_AUTH } }, (res) => {
      let received = 0;
      res.on('data', (d: Buffer) => (received += d.length));
      const done = (error?: string) =>
        resolve({
          status: res.statusCode ?? 0,
          declared: Number(res.headers['content-length']),
          received,
          complete: res.complete,
          ...(error ? { error } : {}),
        });
      res.on('end', () => done());
      res.on('error', (e) => done(e.message));
      res.on('aborted', () => done('aborted'));
    });
    req.on('error', (e) => resolve({ status: 0, declared: 0, received: 0, complete: false, error: e.message }));
    req.end();
  });
}

describe('faults', () => {
  let sim: RunningSimulator;
  let c: ReturnType<typeof client>;
  let clock = NOW;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 5, now: () => clock });
    c = client(sim);
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.control.clearFaults();
    sim.control.setRateLimit(null);
    sim.control.setLatency(0);
    sim.control.resetStats();
  });

  it('rate-limit: 429 with Jira headers for the next N matching requests', async () => {
    sim.control.setFaults([{ kind: 'rate-limit', count: 1, retryAfterSeconds: 3 }]);
    const r = await c.post('/rest/api/3/search/jql', SEARCH);
    expect(r.status).toBe(429);
    expect(r.text).toBe('{"errorMessages":["Rate limit exceeded."],"errors":{}}');
    expect(r.headers.get('retry-after')).toBe('3');
    expect(r.headers.get('x-ratelimit-limit')).toBe('100');
    expect(r.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(r.headers.get('x-ratelimit-reset')).toBe(new Date(NOW + 3000).toISOString());
    expect(r.headers.get('ratelimit-reason')).toBe('jira-burst-based');
    expect(r.headers.get('x-ratelimit-nearlimit')).toBe('true');
    expect((await c.post('/rest/api/3/search/jql', SEARCH)).status).toBe(200);
    const st = sim.control.stats();
    expect(st.faults).toEqual({ 'rate-limit': 1 });
    expect(st.statuses).toEqual({ '200': 1, '429': 1 });
    expect(st.pagesServed).toBe(1);
  });

  it('lets tests check on the request log that a retry waited Retry-After (simulator clock)', async () => {
    sim.control.setFaults([{ kind: 'rate-limit', count: 1 }]);
    const first = await c.get('/rest/api/3/myself');
    const wait = Number(first.headers.get('retry-after')) * 1000;
    expect(wait).toBe(1000);
    sim.control.advanceClock(wait);
    expect((await c.get('/rest/api/3/myself')).status).toBe(200);
    const [a, b] = sim.control.requests();
    expect(a).toMatchObject({ status: 429, fault: 'rate-limit' });
    expect(b?.status).toBe(200);
    expect((b?.at ?? 0) - (a?.at ?? 0)).toBeGreaterThanOrEqual(wait);
    clock = NOW;
  });

  it('quota: 429 with the tenant quota reason and a long Retry-After', async () => {
    sim.control.setFaults([{ kind: 'quota', count: 1 }]);
    const r = await c.get('/rest/api/3/myself');
    expect(r.status).toBe(429);
    expect(r.headers.get('ratelimit-reason')).toBe('jira-quota-tenant-based');
    expect(r.headers.get('retry-after')).toBe('1800');
  });

  it('status: 5xx with Jira error bodies; 503 may carry Retry-After', async () => {
    const rules: FaultRule[] = [
      { kind: 'status', status: 503, retryAfterSeconds: 7, count: 1 },
      { kind: 'status', status: 500, count: 1 },
      { kind: 'status', status: 502, count: 1 },
      { kind: 'status', status: 504, count: 1 },
    ];
    sim.control.setFaults(rules);
    const got = [];
    for (let i = 0; i < 5; i++) got.push(await c.post('/rest/api/3/search/jql', SEARCH));
    expect(got.map((r) => r.status)).toEqual([503, 500, 502, 504, 200]);
    expect(got[0]?.headers.get('retry-after')).toBe('7');
    expect(got[0]?.json()).toEqual({ errorMessages: ['Service Unavailable'], errors: {} });
    expect(got[1]?.headers.get('retry-after')).toBeNull();
    expect(got[1]?.json().errorMessages).toEqual(['Internal server error']);
  });

  it('reset: the connection is destroyed without a response', async () => {
    sim.control.setFaults([{ kind: 'reset', count: 1 }]);
    await expect(c.get('/rest/api/3/myself')).rejects.toThrow();
    expect((await c.get('/rest/api/3/myself')).status).toBe(200);
    const st = sim.control.stats();
    expect(st.faults).toEqual({ reset: 1 });
    expect(st.statuses['0']).toBe(1);
  });

  it('truncated: status 200, half the declared body, then the connection closes', async () => {
    sim.control.setFaults([{ kind: 'truncated', count: 2 }]);
    const raw = await rawGet(`${sim.url}/rest/api/3/search/jql?jql=project%3DDEMO&fields=*navigable&maxResults=10`);
    expect(raw.status).toBe(200);
    expect(raw.complete).toBe(false);
    expect(raw.received).toBeLessThan(raw.declared);
    expect(raw.received).toBeGreaterThan(1000);
    await expect(c.post('/rest/api/3/search/jql', SEARCH)).rejects.toThrow();
  });

  it('malformed: 200 with a body that is not JSON', async () => {
    sim.control.setFaults([{ kind: 'malformed', count: 1 }]);
    const r = await c.post('/rest/api/3/search/jql', SEARCH);
    expect(r.status).toBe(200);
    expect(() => JSON.parse(r.text)).toThrow();
  });

  it('html-401: 401 with an HTML page even for good credentials', async () => {
    sim.control.setFaults([{ kind: 'html-401', count: 1 }]);
    const r = await c.get('/rest/api/3/myself');
    expect(r.status).toBe(401);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    expect(r.text).toMatch(/^<!DOCTYPE html>/);
  });

  it('slow and latency delay responses; pathIncludes targets requests', async () => {
    sim.control.setFaults([{ kind: 'slow', delayMs: 150, pathIncludes: '/search/jql' }]);
    let t = performance.now();
    expect((await c.get('/rest/api/3/myself')).status).toBe(200);
    expect(performance.now() - t).toBeLessThan(140);
    t = performance.now();
    expect((await c.post('/rest/api/3/search/jql', SEARCH)).status).toBe(200);
    expect(performance.now() - t).toBeGreaterThanOrEqual(145);
    sim.control.clearFaults();
    sim.control.setLatency(120);
    t = performance.now();
    await c.get('/rest/api/3/serverInfo');
    expect(performance.now() - t).toBeGreaterThanOrEqual(115);
    t = performance.now();
    await fetch(`${sim.url}/_sim/health`);
    expect(performance.now() - t).toBeLessThan(110);
  });

  it('probability draws from a seeded PRNG: the same rules give the same faults', async () => {
    const run = async () => {
      sim.control.setFaults([{ kind: 'status', status: 503, probability: 0.3 }]);
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) statuses.push((await c.get('/rest/api/3/serverInfo')).status);
      return statuses;
    };
    const a = await run();
    const b = await run();
    expect(b).toEqual(a);
    const failures = a.filter((s) => s === 503).length;
    expect(failures).toBeGreaterThan(3);
    expect(failures).toBeLessThan(25);
    expect(sim.control.stats().faults.status).toBe(failures * 2);
  });

  it('token bucket: real burst 429s refilled on the simulator clock', async () => {
    clock = NOW;
    sim.control.setRateLimit({ requestsPerSecond: 2, burst: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await c.get('/rest/api/3/myself')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = sim.control.requests()[3];
    expect(limited?.fault).toBe('token-bucket');
    clock = NOW + 500;
    expect((await c.get('/rest/api/3/myself')).status).toBe(200);
    expect((await c.get('/rest/api/3/myself')).status).toBe(429);
    expect(sim.control.stats().faults['token-bucket']).toBe(2);
    clock = NOW;
  });

  it('accepts the rate limit as a start option (Data Center adds fill-rate headers)', async () => {
    await withSim({ flavor: 'datacenter', rateLimit: { requestsPerSecond: 5, burst: 1 }, now: () => NOW }, async (dc) => {
      const d = client(dc);
      expect((await d.get('/rest/api/2/myself')).status).toBe(200);
      const r = await d.get('/rest/api/2/myself');
      expect(r.status).toBe(429);
      expect(r.headers.get('x-ratelimit-fillrate')).toBe('5');
      expect(r.headers.get('x-ratelimit-interval-seconds')).toBe('1');
      expect(r.headers.get('retry-after')).toBe('1');
    });
  });
});
