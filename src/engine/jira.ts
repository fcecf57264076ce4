/**
 * The two flavours of Jira behind one interface: Cloud (REST v3, `search/jql` with an opaque
 * `nextPageToken`) and Data Center (REST v2, `search` with `startAt`/`total`). Both page a
 * project's issues in `updated, key` order within an optional `updated` range.
 */
import type { PerformanceConfig } from '../shared/model.ts';
import type { NormalizedIssue } from '../store/issues.ts';
import { SyncError } from './errors.ts';
import { parseInline, type PageParser, type ParsedPage } from './parsePage.ts';
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
  /** Parsed, validated and normalized (see parsePage.ts). */
  issues: NormalizedIssue[];
  /** Opaque position for the next page; null after the last page. */
  next: string | null;
  /** Known on Data Center (`total`); null on Cloud. */
  total: number | null;
  /** CPU time spent parsing the page. */
  parseMs: number;
}

export interface JiraClient {
  myself(stats: RequestStats, signal?: AbortSignal): Promise<{ timeZone?: string | null }>;
  listProjects(stats: RequestStats, signal?: AbortSignal): Promise<JiraProject[]>;
  /** How many issues match (Cloud's approximate count may lag a little; it only guides planning). */
  count(query: SearchQuery, stats: RequestStats, signal?: AbortSignal): Promise<number>;
  /** The smallest `updated` of the project's issues, or null for an empty project. */
  oldestUpdated(projectKey: string, stats: RequestStats, signal?: AbortSignal): Promise<number | null>;
  /** One page; `position` is null for the first page, then the previous page's `next`. */
  search(query: SearchQuery, pageSize: number, position: string | null, stats: RequestStats, signal?: AbortSignal): Promise<SearchPage>;
  /** Every issue id of a project (id-only pages, as large as the server allows): the deletion sweep. */
  allIds(projectKey: string, stats: RequestStats, signal?: AbortSignal): Promise<Set<string>>;
}

/** An instance's HTTP client (its connection pool; close it after use) and its flavour's API. */
export function connectInstance(
  instance: { url: string; flavor: 'cloud' | 'datacenter'; email: string | null; token: string },
  getConfig: () => PerformanceConfig,
  parsePage: PageParser = parseInline,
): { http: JiraHttp; client: JiraClient } {
  const http = new JiraHttp({
    baseUrl: instance.url,
    credentials: { flavor: instance.flavor, email: instance.email, token: instance.token },
    getConfig,
  });
  return { http, client: instance.flavor === 'cloud' ? cloudClient(http, parsePage) : dataCenterClient(http, parsePage) };
}

/** Epoch-ms literals carry no time zone and no minute rounding, unlike JQL's quoted dates. */
export function buildJql(query: SearchQuery, order = 'ORDER BY updated ASC, key ASC'): string {
  const clauses = [`project = "${query.projectKey}"`];
  if (query.fromMs !== null) clauses.push(`updated >= ${Math.floor(query.fromMs)}`);
  if (query.toMs !== null) clauses.push(`updated < ${Math.floor(query.toMs)}`);
  return `${clauses.join(' AND ')} ${order}`;
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

export function cloudClient(http: JiraHttp, parsePage: PageParser = parseInline): JiraClient {
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
    myself: (stats, signal) => http.getJson('/rest/api/3/myself', { stats, signal }),
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
      const page = await http.getJson<ParsedPage>('/rest/api/3/search/jql', {
        method: 'POST',
        json: body,
        stats,
        signal,
        parse: parsePage,
      });
      return { issues: page.issues, next: nextToken(page), total: null, parseMs: page.parseMs };
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
  };
}

/**
 * Data Center pages by offset, and an issue updated while paging moves to the end of the order,
 * shifting every later issue one place back: plain `startAt` paging would skip one. So paging is
 * by key instead: each page asks again for `updated >= (last updated seen)` and skips only the
 * issues already read at exactly that instant. This also keeps `startAt` far below the 10,000
 * results past which Data Center fails.
 */
interface DcPosition {
  fromMs: number | null;
  skip: number;
}

export function dataCenterClient(http: JiraHttp, parsePage: PageParser = parseInline): JiraClient {
  const search = (jql: string, startAt: number, maxResults: number, fields: string[], stats: RequestStats, signal?: AbortSignal) =>
    http.getJson<{ issues?: unknown; total?: unknown }>('/rest/api/2/search', {
      method: 'POST',
      json: { jql, startAt, maxResults, fields },
      stats,
      signal,
    });
  return {
    myself: (stats, signal) => http.getJson('/rest/api/2/myself', { stats, signal }),
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
      const at: DcPosition = position ? (JSON.parse(position) as DcPosition) : { fromMs: query.fromMs, skip: 0 };
      const page = await http.getJson<ParsedPage>('/rest/api/2/search', {
        method: 'POST',
        json: { jql: buildJql({ ...query, fromMs: at.fromMs }), startAt: at.skip, maxResults: pageSize, fields: SEARCH_FIELDS },
        stats,
        signal,
        parse: parsePage,
      });
      const { issues, parseMs } = page;
      const total = typeof page.total === 'number' ? page.total : null;
      if (issues.length === 0 || total === null || at.skip + issues.length >= total) return { issues, next: null, total, parseMs };
      const last = issues[issues.length - 1]!.updatedMs;
      // Issues read at exactly the last instant are skipped next time; the rest re-read nothing.
      let atLast = 0;
      for (let i = issues.length - 1; i >= 0 && issues[i]!.updatedMs === last; i--) atLast += 1;
      const next: DcPosition = at.fromMs === last ? { fromMs: last, skip: at.skip + issues.length } : { fromMs: last, skip: atLast };
      return { issues, next: JSON.stringify(next), total, parseMs };
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
  };
}
