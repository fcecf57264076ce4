/**
 * The issue browser's reads: filtered, sorted pages of mirrored issues with full-text search over
 * key, summary and description (the FTS5 index `issues_fts`, kept in step by the issue writer),
 * the values each filter can take with their counts, and one issue's stored fields.
 */
import type { IssueFacets, IssueRow, IssueSearch, IssueSearchPage } from '../shared/model.ts';
import type { Store } from './db.ts';

// The instance name by a scalar subquery, not a join: with a join SQLite would start from the tiny
// instances table and sort every issue instead of walking the newest-first index.
const ROW_COLUMNS = `(SELECT n.name FROM instances n WHERE n.id = i.instance_id) AS instance, i.id, i.key, i.project_key AS projectKey, i.summary, i.status,
  i.status_category AS statusCategory, i.issue_type AS issueType, i.priority, i.assignee, i.updated`;

/** Key columns count most, then the summary, then the description; bm25 is lower for better matches. */
const RELEVANCE = 'bm25(issues_fts, 10.0, 5.0, 1.0)';

/**
 * The user's words as an FTS5 query: every word must occur (as a phrase of its tokens, so
 * `DEMO-12` finds the key), the last one as a prefix because people search as they type. Quotes
 * are doubled, so no input can inject FTS5 syntax. Null when the text holds no searchable word.
 */
export function ftsMatch(text: string): string | null {
  const words = text
    .split(/\s+/)
    .map((word) => (word.match(/[\p{L}\p{N}]+/gu) ?? []).join(' '))
    .filter((word) => word !== '');
  if (words.length === 0) return null;
  return words.map((word, i) => `"${word.replaceAll('"', '""')}"${i === words.length - 1 ? '*' : ''}`).join(' AND ');
}

interface Where {
  conditions: string[];
  params: Record<string, unknown>;
}

/**
 * The filters as conditions on `issues i`, for a `use`:
 * - 'walk': a page in updated order walks the browse index, which holds every filter column, so the
 *   filters are marked (unary `+`) to keep the planner from reading them from another index and
 *   sorting all their rows (with their table reads) instead;
 * - 'seek': counts on the facets index, led by the instance: without an instance filter, every
 *   instance is named, so each scope is a range of the index (no statistics needed for a skip scan).
 */
function filterWhere(search: Omit<IssueSearch, 'text' | 'sort' | 'order' | 'limit' | 'offset'>, use?: 'walk' | 'seek'): Where {
  const conditions = ['i.deleted_at IS NULL'];
  const c = use === 'walk' ? '+i.' : 'i.';
  if (use === 'seek' && !search.instance) conditions.push('i.instance_id IN (SELECT id FROM instances)');
  const params: Record<string, unknown> = {};
  const add = (condition: string, name: string, value: unknown) => {
    conditions.push(condition);
    params[name] = value;
  };
  if (search.instance) add(`${c}instance_id = (SELECT id FROM instances WHERE name = @instance)`, 'instance', search.instance);
  if (search.project) add(`${c}project_key = @project`, 'project', search.project);
  if (search.status) add(`${c}status = @status`, 'status', search.status);
  if (search.issueType) add(`${c}issue_type = @issueType`, 'issueType', search.issueType);
  if (search.assignee === '') conditions.push(`${c}assignee IS NULL`);
  else if (search.assignee) add(`${c}assignee = @assignee`, 'assignee', search.assignee);
  if (search.updatedFrom) add('i.updated_ms >= @updatedFrom', 'updatedFrom', Date.parse(search.updatedFrom));
  if (search.updatedTo) add('i.updated_ms <= @updatedTo', 'updatedTo', Date.parse(search.updatedTo));
  return { conditions, params };
}

/** The order of a filtered page; relevance ranks only a text search without filters (see searchIssues). */
function orderBy(search: IssueSearch): string {
  const direction = search.order === 'asc' ? 'ASC' : 'DESC';
  switch (search.sort) {
    case 'created':
      return `ORDER BY i.created ${direction}, i.seq ${direction}`;
    case 'key':
      return `ORDER BY i.project_key ${direction}, CAST(substr(i.key, instr(i.key, '-') + 1) AS INTEGER) ${direction}`;
    default:
      return `ORDER BY i.updated_ms ${direction}, i.seq ${direction}`;
  }
}

/**
 * One page of live issues matching every given filter; `total` counts them all. The index holds
 * live issues only: a text search without other filters is counted and ranked on the index alone,
 * and only the page's rows are read from `issues`.
 */
export function searchIssues(store: Store, search: IssueSearch): IssueSearchPage {
  const match = search.text ? ftsMatch(search.text) : null;
  const where = filterWhere(search);
  const inUpdatedOrder = search.sort !== 'created' && search.sort !== 'key';
  const page = { limit: search.limit ?? 50, offset: search.offset ?? 0 };
  const onlyText = match !== null && where.conditions.length === 1;
  if (onlyText && (search.sort ?? 'relevance') === 'relevance') {
    const direction = search.order === 'asc' ? 'DESC' : 'ASC';
    const rows = store
      .statement(
        `WITH ranked AS (SELECT rowid, ${RELEVANCE} AS score FROM issues_fts WHERE issues_fts MATCH @match
                         ORDER BY score ${direction} LIMIT @limit OFFSET @offset)
         SELECT ${ROW_COLUMNS} FROM ranked JOIN issues i ON i.seq = ranked.rowid
         ORDER BY ranked.score ${direction}`,
      )
      .all({ match, ...page }) as IssueRow[];
    return { rows, total: countMatches(store, match) };
  }
  const { whereSql, params } = searchWhere(match, where);
  // A few text matches are read by row id; many are probed while walking an index that holds every
  // filter column (SQLite would read each match's row and sort them all).
  const manyMatches = match === null || hasManyMatches(store, match);
  const pageWhere = inUpdatedOrder ? searchWhere(match, filterWhere(search, 'walk')).whereSql : whereSql;
  const walk = inUpdatedOrder && match !== null && manyMatches ? 'INDEXED BY issues_live_browse_idx' : '';
  const rows = store
    .statement(`SELECT ${ROW_COLUMNS} FROM issues i ${walk} ${pageWhere} ${orderBy(search)} LIMIT @limit OFFSET @offset`)
    .all({ ...params, ...page }) as IssueRow[];
  // Counted on the facets index, which holds every filter column: SQLite would otherwise scan the
  // table, or read each text match's row, to test filters the index answers.
  const counted = manyMatches ? 'INDEXED BY issues_live_facets_idx' : '';
  const countWhere = manyMatches ? searchWhere(match, filterWhere(search, 'seek')).whereSql : whereSql;
  const total = onlyText
    ? countMatches(store, match)
    : (store.statement(`SELECT COUNT(*) AS n FROM issues i ${counted} ${countWhere}`).get(params) as { n: number }).n;
  return { rows, total };
}

/** The filters and, when given, the text as one WHERE over `issues i`. */
function searchWhere(match: string | null, where: Where): { whereSql: string; params: Record<string, unknown> } {
  const conditions = match
    ? ['i.seq IN (SELECT rowid FROM issues_fts WHERE issues_fts MATCH @match)', ...where.conditions]
    : where.conditions;
  return { whereSql: `WHERE ${conditions.join(' AND ')}`, params: match ? { ...where.params, match } : where.params };
}

/** Every live issue the search matches, in its order (relevance: newest updated first), one at a time: the Issues view's CSV. */
export function iterateIssueSearch(store: Store, search: Omit<IssueSearch, 'limit' | 'offset'>): IterableIterator<IssueRow> {
  const { whereSql, params } = searchWhere(search.text ? ftsMatch(search.text) : null, filterWhere(search));
  return store
    .statement(`SELECT ${ROW_COLUMNS} FROM issues i ${whereSql} ${orderBy(search)}`)
    .iterate(params) as IterableIterator<IssueRow>;
}

/** Whether the text matches more issues than are cheaper to read one by one than to probe (a bounded look). */
function hasManyMatches(store: Store, match: string): boolean {
  const few = store.statement(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM issues_fts WHERE issues_fts MATCH ? LIMIT 2000)`);
  return (few.get(match) as { n: number }).n >= 2000;
}

function countMatches(store: Store, match: string): number {
  return (store.statement(`SELECT COUNT(*) AS n FROM issues_fts WHERE issues_fts MATCH ?`).get(match) as { n: number }).n;
}

/**
 * Every status, type and assignee among the live issues of the scope, with counts (assignees: the
 * 200 most frequent). One pass over the facets index groups the combinations in its order (no
 * sort of the scope's rows); each facet sums them in SQL.
 */
export function getIssueFacets(store: Store, scope: { instance?: string; project?: string }): IssueFacets {
  const where = filterWhere(scope, 'seek');
  const rows = store
    .statement(
      `WITH combos AS (
         SELECT i.status, i.issue_type, i.assignee, COUNT(*) AS n FROM issues i INDEXED BY issues_live_facets_idx
         WHERE ${where.conditions.join(' AND ')}
         GROUP BY i.instance_id, i.project_key, i.status, i.issue_type, i.assignee)
       SELECT 'status' AS facet, status AS value, SUM(n) AS count FROM combos GROUP BY status
       UNION ALL SELECT 'type', issue_type, SUM(n) FROM combos GROUP BY issue_type
       UNION ALL SELECT 'assignee', assignee, SUM(n) FROM combos GROUP BY assignee`,
    )
    .all(where.params) as Array<{ facet: 'status' | 'type' | 'assignee'; value: string | null; count: number }>;
  // Most frequent first; among equals, "none" (null) first, then by name.
  const order = (a: { value: string | null; count: number }, b: { value: string | null; count: number }) =>
    b.count - a.count || (a.value === b.value ? 0 : a.value === null ? -1 : b.value === null ? 1 : a.value < b.value ? -1 : 1);
  const facet = (name: 'status' | 'type' | 'assignee') => rows.filter((row) => row.facet === name).sort(order);
  const named = (list: Array<{ value: string | null; count: number }>) =>
    list.filter((row): row is { value: string; count: number } => row.value !== null).map(({ value, count }) => ({ value, count }));
  return {
    statuses: named(facet('status')),
    issueTypes: named(facet('type')),
    assignees: facet('assignee')
      .slice(0, 200)
      .map(({ value, count }) => ({ value, count })),
  };
}

export interface StoredIssue extends IssueRow {
  instanceUrl: string;
  isDemo: boolean;
  reporter: string | null;
  created: string | null;
  resolution: string | null;
  labels: string;
  rawJson: string;
}

/** One live issue with its raw JSON, or null. */
export function getStoredIssue(store: Store, instance: string, id: string): StoredIssue | null {
  const row = store
    .statement(
      `SELECT ${ROW_COLUMNS}, n.url AS instanceUrl, n.credential = 'demo' AS isDemo, i.reporter, i.created, i.resolution,
              i.labels, b.raw_json AS rawJson
       FROM issues i JOIN instances n ON n.id = i.instance_id JOIN issue_bodies b ON b.issue_seq = i.seq
       WHERE n.name = @instance AND i.id = @id AND i.deleted_at IS NULL`,
    )
    .get({ instance, id }) as (Omit<StoredIssue, 'isDemo'> & { isDemo: number }) | undefined;
  return row ? { ...row, isDemo: row.isDemo === 1 } : null;
}
