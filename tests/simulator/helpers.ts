import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator/index.ts';

// Response bodies are checked field by field in tests.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export const CLOUD_AUTH = 'Basic ' + Buffer.from('demo@example.com:demo-token').toString('base64');
export const DC_AUTH = 'Bearer demo-pat';

export interface Res {
  status: number;
  headers: Headers;
  text: string;
  json: () => Json;
}

export function client(sim: RunningSimulator, auth: string | null = sim.flavor === 'cloud' ? CLOUD_AUTH : DC_AUTH) {
  const call = async (method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<Res> => {
    const headers: Record<string, string> = { Accept: 'application/json', ...extra };
    if (auth) headers.Authorization = auth;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(sim.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    return { status: r.status, headers: r.headers, text, json: () => JSON.parse(text) };
  };
  return {
    get: (path: string, extra?: Record<string, string>) => call('GET', path, undefined, extra),
    post: (path: string, body: unknown) => call('POST', path, body),
    call,
  };
}

export async function withSim<T>(opts: SimulatorOptions, fn: (sim: RunningSimulator) => Promise<T>): Promise<T> {
  const sim = await startSimulator(opts);
  try {
    return await fn(sim);
  } finally {
    await sim.close();
  }
}

/** Pages Cloud search/jql to the end; returns all issues and page count. */
export async function pageAllCloud(
  c: ReturnType<typeof client>,
  body: Record<string, unknown>,
  between?: (page: number, issues: Json[]) => void,
): Promise<{ issues: Json[]; pages: number }> {
  const issues: Json[] = [];
  let token: string | undefined;
  let pages = 0;
  for (;;) {
    const r = await c.post('/rest/api/3/search/jql', { ...body, ...(token ? { nextPageToken: token } : {}) });
    if (r.status !== 200) throw new Error(`search failed ${r.status}: ${r.text}`);
    const page = r.json();
    pages++;
    issues.push(...page.issues);
    between?.(pages, page.issues);
    if (page.isLast) {
      if ('nextPageToken' in page) throw new Error('last page carries a token');
      break;
    }
    token = page.nextPageToken;
  }
  return { issues, pages };
}
