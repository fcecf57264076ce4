/**
 * The two flavours of Jira behind one interface: Cloud (REST v3, `search/jql` with an opaque
 * `nextPageToken`) and Data Center (REST v2, `search` with `startAt`/`total`). Both page a
 * project's issues in `updated, key` order within an optional `updated` range.
 */
import type { PerformanceConfig } from '../shared/model.ts';
import { SyncError } from './errors.ts';
import { readOnlyPages, type HeldPage, type PageIssue, type PageParser } from './parsePage.ts';
import { JiraHttp, type RequestStats } from './http.ts';
import { parseJiraInstant, SEARCH_FIELDS } from './normalize.ts';

export interface JiraProject {
  id: string;
  key: string;
  name: string;
}

/** Issues of one project with `fromMs <= updated < toMs` (either bound optional). */
export interface SearchQuery {
  projectKey: string;
  fromMs: number | null;
  toMs: number | null;
}

export interface SearchPage {
  /** Parsed, validated and normalized (see parsePage.ts); held until committed or released. */
  issues: readonly PageIssue[];
  /** Opaque position for the next page; null after the last page. */
  next: string | null;
  /** Known on Data Center (`total`); null on Cloud. */
  total: number | null;
  /** CPU time spent parsing the page. */
  parseMs: number;
  /** Writes the issues kept of this page (see HeldPage.commit). */
  commit: HeldPage['commit'];
  /** Gives the page up unwritten. */
  release(): void;
}

/** What serverInfo says of the server (each null when it does not say). */
export interface ServerInfo {
  version: string | null;
  deploymentType: string | null;
  serverTitle: string | null;
}

export interface JiraClient {
  myself(stats: RequestStats, signal?: AbortSignal): Promise<{ timeZone?: string | null }>;
  serverInfo(stats: RequestStats, signal?: AbortSignal): Promise<ServerInfo>;
  listProjects(stats: RequestStats, signal?: AbortSignal): Promise<JiraProject[]>;
  /** How many issues match: Data Center's `total` is exact; Cloud's approximate count may lag. */
  count(query: SearchQuery, stats: RequestStats, signal?: AbortSignal): Promise<number>;
  readonly countIsExact: boolean;
  /** The smallest `updated` of the project's issues, or null for an empty project. */
  oldestUpdated(projectKey: string, stats: RequestStats, signal?: AbortSignal): Promise<number | null>;
  /** One page; `position` is null for the first page, then the previous page's `next`. */
  search(query: SearchQuery, pageSize: number, position: string | null, stats: RequestStats, signal?: AbortSignal): Promise<SearchPage>;
  /** Every issue id of a project (id-only pages, as large as the server allows): the deletion sweep. */
  allIds(projectKey: string, stats: RequestStats, signal?: AbortSignal): Promise<Set<string>>;
  /** Key and `updated` of the issues with these ids that Jira still finds (at most LOOKUP_BATCH per request). */
  lookup(ids: string[], stats: RequestStats, signal?: AbortSignal): Promise<IssueStamp[]>;
}

export interface IssueStamp {
  id: string;
  key: string;
  updatedMs: number;
}

/** Ids per lookup request: Cloud returns at most 100 issues a page when fields other than id and key are asked for. */
export const LOOKUP_BATCH = 100;

function lookupJql(ids: string[]): string {
  return `id in (${ids.join(', ')}) ORDER BY id ASC`;
}

function stampsOf(issues: unknown): IssueStamp[] {
  return requireArray(issues, 'search').map((value) => {
    const issue = value as { id?: unknown; key?: unknown; fields?: { updated?: unknown } };
    const updatedMs = parseJiraInstant(issue?.fields?.updated);
    if (typeof issue?.id !== 'string' || typeof issue.key !== 'string' || !Number.isFinite(updatedMs))
      throw new SyncError('Validation', 'Jira sent a malformed search page (an issue without id, key or "updated")');
    return { id: issue.id, key: issue.key, updatedMs };
  });
}

async function lookupInBatches(ids: string[], page: (jql: string) => Promise<{ issues?: unknown }>): Promise<IssueStamp[]> {
  const stamps: IssueStamp[] = [];
  for (let i = 0; i < ids.length; i += LOOKUP_BATCH)
    stamps.push(...stampsOf((await page(lookupJql(ids.slice(i, i + LOOKUP_BATCH)))).issues));
  return stamps;
}

/** An instance's HTTP client (its connection pool; close it after use) and its flavour's API. */
export function connectInstance(
  instance: { url: string; flavor: 'cloud' | 'datacenter'; email: string | null; token: string },
  getConfig: () => PerformanceConfig,
  parsePage: PageParser = readOnlyPages,
): { http: JiraHttp; client: JiraClient } {
  const http = new JiraHttp({
    baseUrl: instance.url,
    credentials: { flavor: instance.flavor, email: instance.email, token: instance.token },
    getConfig,
  });
  return { http, client: instance.flavor === 'cloud' ? cloudClient(http, parsePage) : dataCenterClient(http, parsePage) };
}

export const MINUTE_MS = 60_000;

export function floorMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/**
 * Epoch-ms literals carry no time zone, and every bound is a whole minute: Jira documents neither
 * that it compares `updated` to the millisecond nor to the minute (JQL's own date literals have
 * minutes), and a whole-minute bound means the same under both readings. Lower bounds are floored
 * and upper bounds ceiled, so a range only ever widens: what is read twice is upserted once.
 */
export function buildJql(query: SearchQuery, order = 'ORDER BY updated ASC, key ASC'): string {
  const clauses = [`project = "${query.projectKey}"`];
  if (query.fromMs !== null) clauses.push(`updated >= ${floorMinute(query.fromMs)}`);
  if (query.toMs !== null) clauses.push(`updated < ${Math.ceil(query.toMs / MINUTE_MS) * MINUTE_MS}`);
  return `${clauses.join(' AND ')} ${order}`;
}

/** A JSON value as text, or null when it is no string or an empty one. */
export const nonEmptyText = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

async function readServerInfo(http: JiraHttp, api: 2 | 3, stats: RequestStats, signal?: AbortSignal): Promise<ServerInfo> {
  const info = await http.getJson<Record<string, unknown> | null>(`/rest/api/${api}/serverInfo`, { stats, signal });
  return {
    version: nonEmptyText(info?.version),
    deploymentType: nonEmptyText(info?.deploymentType),
    serverTitle: nonEmptyText(info?.serverTitle),
  };
}

function requireArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new SyncError('Validation', `Jira sent a malformed ${what} response`);
  return value;
}

function toProject(value: unknown): JiraProject {
  const p = value as { id?: unknown; key?: unknown; name?: unknown };
  if (typeof p?.key !== 'string') throw new SyncError('Validation', 'Jira sent a project without a key');
  return { id: String(p.id ?? ''), key: p.key, name: typeof p.name === 'string' ? p.name : p.key };
}

function idsOf(issues: unknown, into: Set<string>): number {
  const list = requireArray(issues, 'search');
  for (const issue of list) {
    const id = (issue as { id?: unknown })?.id;
    if (typeof id !== 'string') throw new SyncError('Validation', 'Jira sent an issue without an id');
    into.add(id);
  }
  return list.length;
}

function oldestOf(issues: unknown): number | null {
  const first = requireArray(issues, 'search')[0] as { fields?: { updated?: unknown } } | undefined;
  if (!first) return null;
  const ms = parseJiraInstant(first.fields?.updated);
  if (!Number.isFinite(ms)) throw new SyncError('Validation', 'Jira sent an issue without a valid "updated" time');
  return ms;
}

export function cloudClient(http: JiraHttp, parsePage: PageParser = readOnlyPages): JiraClient {
  const search = (body: Record<string, unknown>, stats: RequestStats, signal?: AbortSignal) =>
    http.getJson<{ issues?: unknown; nextPageToken?: unknown; isLast?: unknown }>('/rest/api/3/search/jql', {
      method: 'POST',
      json: body,
      stats,
      signal,
    });
  // Docs disagree on how the last page is marked: either signal ends paging.
  const nextToken = (page: { nextPageToken?: unknown; isLast?: unknown }) =>
    page.isLast !== true && typeof page.nextPageToken === 'string' && page.nextPageToken !== '' ? page.nextPageToken : null;
  return {
    countIsExact: false,
    myself: (stats, signal) => http.getJson('/rest/api/3/myself', { stats, signal }),
    serverInfo: (stats, signal) => readServerInfo(http, 3, stats, signal),
    async listProjects(stats, signal) {
      const projects: JiraProject[] = [];
      for (let startAt = 0; ;) {
        const page = await http.getJson<{ values?: unknown; isLast?: boolean }>('/rest/api/3/project/search', {
          searchParams: { startAt, maxResults: 100 },
          stats,
          signal,
        });
        const values = requireArray(page.values, 'project list');
        projects.push(...values.map(toProject));
        startAt += values.length;
        if (page.isLast !== false || values.length === 0) return projects;
      }
    },
    async count(query, stats, signal) {
      const result = await http.getJson<{ count?: unknown }>('/rest/api/3/search/approximate-count', {
        method: 'POST',
        json: { jql: buildJql(query, '') },
        stats,
        signal,
      });
      if (typeof result.count !== 'number') throw new SyncError('Validation', 'Jira sent a malformed approximate-count response');
      return result.count;
    },
    async oldestUpdated(projectKey, stats, signal) {
      const page = await search(
        { jql: buildJql({ projectKey, fromMs: null, toMs: null }), maxResults: 1, fields: ['updated'] },
        stats,
        signal,
      );
      return oldestOf(page.issues);
    },
    async search(query, pageSize, position, stats, signal) {
      const body = { jql: buildJql(query), maxResults: pageSize, fields: SEARCH_FIELDS, ...(position ? { nextPageToken: position } : {}) };
      const page = await http.getJson<HeldPage>('/rest/api/3/search/jql', {
        method: 'POST',
        json: body,
        stats,
        signal,
        parse: parsePage,
      });
      return { issues: page.issues, next: nextToken(page), total: null, parseMs: page.parseMs, commit: page.commit, release: page.release };
    },
    async allIds(projectKey, stats, signal) {
      const ids = new Set<string>();
      let token: string | null = null;
      do {
        const jql = buildJql({ projectKey, fromMs: null, toMs: null }, 'ORDER BY key ASC');
        const page = await search({ jql, maxResults: 5000, fields: ['id'], ...(token ? { nextPageToken: token } : {}) }, stats, signal);
        idsOf(page.issues, ids);
        token = nextToken(page);
      } while (token !== null);
      return ids;
    },
    lookup: (ids, stats, signal) =>
      lookupInBatches(ids, (jql) => search({ jql, maxResults: LOOKUP_BATCH, fields: ['updated'] }, stats, signal)),
  };
}

/**
 * Data Center pages by offset, and an issue updated while paging moves to the end of the order,
 * shifting every later issue one place back: plain `startAt` paging would skip one. So paging is
 * by key instead: each page asks again for `updated >= (the minute of the last issue read)` and
 * starts at the issues of that minute already read, less one: the page must begin with the last
 * issue read. If it does not, something before it changed (an issue read earlier was updated,
 * moved or deleted, or a late one appeared), and the minute is read again from its start. Whole
 * minutes keep this exact whether Jira compares `updated` to the millisecond or to the minute, and
 * `startAt` stays far below the 10,000 results past which Data Center fails (unless one minute
 * holds that many issues).
 */
interface DcPosition {
  /** The whole minute the next page asks from (`updated >= minute`); null: from the beginning. */
  minute: number | null;
  /** Issues of that minute already read, in the server's order. */
  read: number;
  /** The id of the last issue read. */
  lastId: string | null;
}

export function dataCenterClient(http: JiraHttp, parsePage: PageParser = readOnlyPages): JiraClient {
  const search = (jql: string, startAt: number, maxResults: number, fields: string[], stats: RequestStats, signal?: AbortSignal) =>
    http.getJson<{ issues?: unknown; total?: unknown }>('/rest/api/2/search', {
      method: 'POST',
      json: { jql, startAt, maxResults, fields },
      stats,
      signal,
    });
  return {
    countIsExact: true,
    myself: (stats, signal) => http.getJson('/rest/api/2/myself', { stats, signal }),
    serverInfo: (stats, signal) => readServerInfo(http, 2, stats, signal),
    async listProjects(stats, signal) {
      const projects = await http.getJson<unknown>('/rest/api/2/project', { stats, signal });
      return requireArray(projects, 'project list').map(toProject);
    },
    async count(query, stats, signal) {
      const page = await search(buildJql(query, ''), 0, 0, ['id'], stats, signal);
      if (typeof page.total !== 'number') throw new SyncError('Validation', 'Jira sent a search response without "total"');
      return page.total;
    },
    async oldestUpdated(projectKey, stats, signal) {
      const page = await search(buildJql({ projectKey, fromMs: null, toMs: null }), 0, 1, ['updated'], stats, signal);
      return oldestOf(page.issues);
    },
    async search(query, pageSize, position, stats, signal) {
      let at: DcPosition = position
        ? (JSON.parse(position) as DcPosition)
        : { minute: query.fromMs === null ? null : floorMinute(query.fromMs), read: 0, lastId: null };
      for (;;) {
        const overlap = at.read > 0 && at.lastId !== null ? 1 : 0;
        const startAt = at.read - overlap;
        const page = await http.getJson<HeldPage>('/rest/api/2/search', {
          method: 'POST',
          json: { jql: buildJql({ ...query, fromMs: at.minute }), startAt, maxResults: pageSize + overlap, fields: SEARCH_FIELDS },
          stats,
          signal,
          parse: parsePage,
        });
        const total = typeof page.total === 'number' ? page.total : null;
        if (overlap === 1 && page.issues[0]?.id !== at.lastId) {
          page.release();
          at = { minute: at.minute, read: 0, lastId: null };
          continue;
        }
        const issues = page.issues.slice(overlap);
        const { parseMs, commit, release } = page;
        const last = issues.at(-1);
        const end = page.issues.length === 0 || total === null || startAt + page.issues.length >= total;
        if (end) return { issues, next: null, total, parseMs, commit, release };
        if (!last) {
          // A server whose pages hold a single issue: the overlap leaves nothing new, so trust the count.
          release();
          at = { ...at, lastId: null };
          continue;
        }
        const minute = floorMinute(last.updatedMs);
        let inMinute = 0;
        for (let i = issues.length - 1; i >= 0 && floorMinute(issues[i]!.updatedMs) === minute; i--) inMinute += 1;
        // Still in the same minute: every issue of this page belongs to it.
        const read = at.minute === minute ? at.read + issues.length : inMinute;
        return { issues, next: JSON.stringify({ minute, read, lastId: last.id } satisfies DcPosition), total, parseMs, commit, release };
      }
    },
    async allIds(projectKey, stats, signal) {
      const ids = new Set<string>();
      // Keyset by id, never by offset: a deletion while paging would shift offsets and hide an id,
      // which the sweep would then wrongly mark deleted.
      for (let lastId: string | null = null; ;) {
        const jql = `project = "${projectKey}"${lastId ? ` AND id > ${lastId}` : ''} ORDER BY id ASC`;
        const page = await search(jql, 0, 1000, ['id'], stats, signal);
        const before = ids.size;
        const count = idsOf(page.issues, ids);
        const list = page.issues as Array<{ id: string }>;
        if (count === 0 || ids.size === before || typeof page.total !== 'number' || count >= page.total) return ids;
        lastId = list[list.length - 1]!.id;
      }
    },
    lookup: (ids, stats, signal) => lookupInBatches(ids, (jql) => search(jql, 0, LOOKUP_BATCH, ['updated'], stats, signal)),
  };
}
