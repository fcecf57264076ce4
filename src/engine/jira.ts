/**
 * The two flavours of Jira behind one interface: Cloud (REST v3, `search/jql` with
 * `nextPageToken`) and Data Center (REST v2, `search` with `startAt`/`total`).
 */
import { SyncError } from './errors.ts';
import type { JiraHttp, RequestStats } from './http.ts';
import { SEARCH_FIELDS } from './normalize.ts';

export interface JiraProject {
  id: string;
  key: string;
  name: string;
}

export interface SearchPage {
  issues: unknown;
  /** Opaque position for the next page; null after the last page. */
  next: string | null;
  /** Known on Data Center (`total`); null on Cloud. */
  total: number | null;
}

export interface JiraClient {
  myself(stats: RequestStats, signal?: AbortSignal): Promise<{ timeZone: string | null }>;
  listProjects(stats: RequestStats, signal?: AbortSignal): Promise<JiraProject[]>;
  /** One search page; `position` is null for the first page, then the previous page's `next`. */
  search(jql: string, pageSize: number, position: string | null, stats: RequestStats, signal?: AbortSignal): Promise<SearchPage>;
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

export function cloudClient(http: JiraHttp): JiraClient {
  return {
    myself: (stats, signal) => http.getJson('/rest/api/3/myself', { stats, signal }),
    async listProjects(stats, signal) {
      const projects: JiraProject[] = [];
      for (let startAt = 0; ; ) {
        const page = await http.getJson<{ values?: unknown; isLast?: boolean; total?: number }>('/rest/api/3/project/search', {
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
    async search(jql, pageSize, position, stats, signal) {
      const page = await http.getJson<{ issues?: unknown; nextPageToken?: unknown; isLast?: unknown }>('/rest/api/3/search/jql', {
        method: 'POST',
        json: { jql, maxResults: pageSize, fields: SEARCH_FIELDS, ...(position ? { nextPageToken: position } : {}) },
        stats,
        signal,
      });
      // Docs disagree on how the last page is marked: either signal ends paging.
      const token = typeof page.nextPageToken === 'string' && page.nextPageToken !== '' ? page.nextPageToken : null;
      return { issues: page.issues, next: page.isLast === true ? null : token, total: null };
    },
  };
}

export function dataCenterClient(http: JiraHttp): JiraClient {
  return {
    myself: (stats, signal) => http.getJson('/rest/api/2/myself', { stats, signal }),
    async listProjects(stats, signal) {
      const projects = await http.getJson<unknown>('/rest/api/2/project', { stats, signal });
      return requireArray(projects, 'project list').map(toProject);
    },
    async search(jql, pageSize, position, stats, signal) {
      const startAt = position ? Number(position) : 0;
      const page = await http.getJson<{ issues?: unknown; total?: unknown; startAt?: unknown }>('/rest/api/2/search', {
        method: 'POST',
        json: { jql, startAt, maxResults: pageSize, fields: SEARCH_FIELDS },
        stats,
        signal,
      });
      const count = Array.isArray(page.issues) ? page.issues.length : 0;
      const total = typeof page.total === 'number' ? page.total : null;
      const nextStart = startAt + count;
      const done = count === 0 || total === null || nextStart >= total;
      return { issues: page.issues, next: done ? null : String(nextStart), total };
    },
  };
}
