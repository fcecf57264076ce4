/**
 * The search endpoints: Cloud's search/jql (keyset pages behind a next-page token) and its approximate
 * count, Data Center's /search (startAt pages inside its paging window), and what they share: finding
 * a query's issues and writing a page of them.
 */
import { Buffer } from 'node:buffer';
import { compileJql, parseJql, type CompiledJql, type SortKey } from './jql.ts';
import { hashString } from './prng.ts';
import { rangeQuery, type RangeQuery } from './rangeQuery.ts';
import { resolveFields, type FieldSelection } from './fieldSelection.ts';
import type { ApiVersion } from './render.ts';
import { intParam, jiraError, json, type Reply } from './reply.ts';
import type { ReqCtx } from './routes.ts';
import type { SimServer } from './server.ts';
import { SimError, type IssueState } from './model.ts';
import type { SearchResult } from './store.ts';

const UNBOUNDED = 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.';
const BAD_TOKEN = 'The provided next page token is invalid or expired.';

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

/**
 * Parses and compiles a query; `result` finds what it matches in order, `count` how many —
 * range queries (rangeQuery.ts) by the fast path: a count needs no particular order, so any
 * range query counts from the view sorted by its ranged field (then key, as syncs page).
 */
function find(
  sim: SimServer,
  jql: string,
): { compiled: CompiledJql<IssueState>; text: string; result: () => SearchResult; count: () => number } {
  const text = jql.trim();
  const query = parseJql(text);
  const env = sim.store.jqlEnv(sim.userTz, sim.me);
  const compiled = compileJql(query, env);
  const general = () => sim.store.search(text, compiled);
  const size = (r: SearchResult) => r.end - r.start;
  const range: RangeQuery | null = rangeQuery(query);
  if (!range) return { compiled, text, result: general, count: () => size(general()) };
  const inOrder = range.field === null || range.field === compiled.sortFields[0];
  const result = inOrder ? () => sim.store.searchRange(compileJql(range.base, env), range) : general;
  const byField =
    range.field === null
      ? range.base
      : { ...range.base, orderBy: [range.field, 'key'].map((field) => ({ field, dir: 'asc' as const, pos: 0 })) };
  return { compiled, text, result, count: () => size(sim.store.searchRange(compileJql(byField, env), range)) };
}

/** A page body: head, the issues separated by commas, tail — as byte chunks when issues are prerendered. */
function page(
  sim: SimServer,
  head: string,
  issues: IssueState[],
  sel: FieldSelection,
  api: ApiVersion,
  withChangelog: boolean,
  tail: string,
): Reply['body'] {
  if (!sim.prerendered) {
    let body = head;
    for (let i = 0; i < issues.length; i++) body += (i ? ',' : '') + sim.renderer.issue(issues[i] as IssueState, sel, api, withChangelog);
    return body + tail;
  }
  const bytes = sim.prerendered.bytesOf(sel, api, withChangelog);
  const chunks: Buffer[] = [Buffer.from(head, 'utf8')];
  for (let i = 0; i < issues.length; i++) chunks.push(bytes(issues[i] as IssueState, i > 0));
  chunks.push(Buffer.from(tail, 'utf8'));
  return chunks;
}

/** views[from, to) less the one a `drop-issue` fault leaves out of the middle. */
function pageIssues(res: SearchResult, from: number, to: number, c: ReqCtx): IssueState[] {
  const dropped = c.dropIssue && to > from ? from + Math.floor((to - from) / 2) : -1;
  c.dropped ||= dropped >= 0;
  const out: IssueState[] = [];
  for (let i = from; i < to; i++) if (i !== dropped) out.push(res.views[i] as IssueState);
  return out;
}

function searchParams(c: ReqCtx): {
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

export function searchJql(sim: SimServer, c: ReqCtx): Reply {
  const sp = searchParams(c);
  const { compiled, text, result } = find(sim, sp.jql);
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
  const issues = pageIssues(res, start, end, c);
  const isLast = end >= res.end;
  const tail =
    ']' +
    (isLast ? '' : ',"nextPageToken":' + JSON.stringify(encodeToken({ h, k: res.keys[end - 1] as SortKey }))) +
    ',"isLast":' +
    isLast +
    '}';
  return { status: 200, body: page(sim, '{"issues":[', issues, sel, c.api, withChangelog, tail), issues: issues.length, page: true };
}

export function approximateCount(sim: SimServer, c: ReqCtx): Reply {
  const sp = searchParams(c);
  const { compiled, count } = find(sim, sp.jql);
  if (!compiled.bounded) return jiraError(400, UNBOUNDED);
  return json({ count: count() });
}

export function searchDc(sim: SimServer, c: ReqCtx): Reply {
  const sp = searchParams(c);
  const { result, count } = find(sim, sp.jql);
  const sel = resolveFields(sp.fields, 'datacenter');
  const startAt = Math.max(0, intParam(sp.startAt, 'startAt', 0));
  const maxResults = Math.min(sim.dcMaxResults, Math.max(0, intParam(sp.maxResults, 'maxResults', 50)));
  if (startAt + maxResults > sim.dcPagingWindow) {
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
  const issues = pageIssues(res, from, Math.min(res.end, from + maxResults), c);
  const head = `{"expand":"schema,names","startAt":${startAt},"maxResults":${maxResults},"total":${total},"issues":[`;
  return { status: 200, body: page(sim, head, issues, sel, 2, withChangelog, ']}'), issues: issues.length, page: true };
}
