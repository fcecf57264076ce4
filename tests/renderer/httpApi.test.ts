import { describe, expect, it } from 'vitest';
import { CALL_NAMES } from '../../src/shared/contract.ts';
import { ApiCallError, unwrap } from '../../src/renderer/api/errors.ts';
import { TOKEN_STORAGE_KEY, createHttpApi, takeTokenFromLocation } from '../../src/renderer/api/httpApi.ts';

type Listener = (event: { data: string }) => void;

class FakeEventSource {
  static instances: FakeEventSource[] = [];
  readonly listeners = new Map<string, Listener[]>();
  readonly url: string;
  constructor(url: string) {
    this.url = url;
    FakeEventSource.instances.push(this);
  }
  addEventListener(name: string, listener: Listener): void {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
  }
  fire(name: string, data: string): void {
    for (const listener of this.listeners.get(name) ?? []) listener({ data });
  }
  close(): void {}
}

function fakeFetch(reply: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const requests: Array<{ url: string; init: RequestInit }> = [];
  const fetch = (async (url: string, init: RequestInit) => {
    requests.push({ url, init });
    return reply(url, init);
  }) as unknown as typeof globalThis.fetch;
  return { fetch, requests };
}

const json = (value: unknown, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { 'Content-Type': 'application/json' } });

function api(fetch: typeof globalThis.fetch, token: string | null = 'tok') {
  return createHttpApi({
    fetch,
    EventSource: FakeEventSource as unknown as new (url: string) => EventSource,
    origin: 'http://127.0.0.1:9',
    token,
  });
}

describe('HTTP API client', () => {
  it('exposes every contract call and posts the input with the bearer token', async () => {
    const { fetch, requests } = fakeFetch(() => json({ ok: true, data: { rows: [], total: 0 } }));
    const client = api(fetch);
    for (const name of CALL_NAMES) expect(typeof client[name]).toBe('function');
    const result = await client.listRuns({ limit: 25, offset: 0, status: 'failed' });
    expect(result).toEqual({ ok: true, data: { rows: [], total: 0 } });
    expect(requests[0]!.url).toBe('http://127.0.0.1:9/api/call/listRuns');
    expect(requests[0]!.init.method).toBe('POST');
    expect(requests[0]!.init.headers).toMatchObject({ Authorization: 'Bearer tok', 'Content-Type': 'application/json' });
    expect(JSON.parse(String(requests[0]!.init.body))).toEqual({ limit: 25, offset: 0, status: 'failed' });
  });

  it('passes error Results through and turns transport failures into UNAVAILABLE', async () => {
    const conflict = { ok: false, error: { code: 'CONFLICT', message: 'a sync is already running' } };
    expect(await api(fakeFetch(() => json(conflict)).fetch).startSync({})).toEqual(conflict);
    const unauthorized = { ok: false, error: { code: 'UNAVAILABLE', message: 'missing or invalid preview token' } };
    expect(await api(fakeFetch(() => json(unauthorized, 401)).fetch).startSync({})).toEqual(unauthorized);

    const html = await api(fakeFetch(() => new Response('<html>', { status: 502 })).fetch).getActiveSync({});
    expect(html).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('502') } });

    const down = await api(fakeFetch(() => Promise.reject(new TypeError('fetch failed'))).fetch).getActiveSync({});
    expect(down).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });

    const { fetch, requests } = fakeFetch(() => json({ ok: true, data: null }));
    expect(await api(fetch, null).listInstances({})).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(requests).toHaveLength(0);
  });

  it('delivers SSE events to listeners over one EventSource', () => {
    FakeEventSource.instances = [];
    const client = api(fakeFetch(() => json({})).fetch, 'a b');
    const seen: unknown[] = [];
    const off = client.on('runUpdated', (run) => seen.push(run.id));
    client.on('instancesChanged', () => seen.push('instances'));
    expect(FakeEventSource.instances).toHaveLength(1);
    const source = FakeEventSource.instances[0]!;
    expect(source.url).toBe('http://127.0.0.1:9/api/events?token=a%20b');
    source.fire('runUpdated', JSON.stringify({ id: 'r1' }));
    source.fire('instancesChanged', '{}');
    source.fire('runUpdated', 'not json');
    off();
    source.fire('runUpdated', JSON.stringify({ id: 'r2' }));
    expect(seen).toEqual(['r1', 'instances']);
  });
});

describe('token handling', () => {
  function browserish(href: string) {
    const store = new Map<string, string>();
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
    } as unknown as Storage;
    const replaced: string[] = [];
    const history = { state: null, replaceState: (_s: unknown, _t: string, url: string) => replaced.push(url) } as unknown as History;
    return { location: { href } as Location, storage, history, store, replaced };
  }

  it('takes the token from the URL, stores it and clears it from the address bar', () => {
    const b = browserish('http://127.0.0.1:5/?token=abc&x=1#top');
    expect(takeTokenFromLocation(b.location, b.storage, b.history)).toBe('abc');
    expect(b.store.get(TOKEN_STORAGE_KEY)).toBe('abc');
    expect(b.replaced).toEqual(['/?x=1#top']);
  });

  it('falls back to the stored token after a reload', () => {
    const b = browserish('http://127.0.0.1:5/');
    b.store.set(TOKEN_STORAGE_KEY, 'kept');
    expect(takeTokenFromLocation(b.location, b.storage, b.history)).toBe('kept');
    expect(b.replaced).toEqual([]);
  });
});

describe('unwrap', () => {
  it('returns data or throws an ApiCallError with code and message', () => {
    expect(unwrap({ ok: true, data: 5 })).toBe(5);
    try {
      unwrap({ ok: false, error: { code: 'CONFLICT', message: 'busy' } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ApiCallError);
      expect(error).toMatchObject({ code: 'CONFLICT', message: 'busy' });
    }
  });
});
