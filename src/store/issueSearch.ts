/**
 * The issue browser's reads: filtered, sorted pages of mirrored issues with full-text search over
 * key, summary and description (the FTS5 index `issues_fts`, kept in step by the issue writer),
 * the values each filter can take with their counts, and one issue's stored fields.
 */
import type { IssueFacets, IssueRow, IssueSearch, IssueSearchPage } from '../shared/issues.ts';
import type { Store } from './db.ts';
import { rankedSeqsSql, rankMatches } from './issueRanking.ts';
import { countMatches, ftsPhrases, isPrefixQuery, MATCHES_ISSUE, MATCHING_SEQS, matchOf, onlyCompletion } from './issueText.ts';

// The instance name by a scalar subquery, not a join: with a join SQLite would start from the tiny
// instances table and sort every issue instead of walking the newest-first index.
const ROW_COLUMNS = `(SELECT n.name FROM instances n WHERE n.id = i.instance_id) AS instance, i.id, i.key, i.project_key AS projectKey, i.summary, i.status,
  i.status_category AS statusCategory, i.issue_type AS issueType, i.priority, i.assignee, i.updated`;

/** Fewer text matches than this are read by row id; more are found while walking an index in the page's order. */
const FEW_MATCHES = 2000;

/** Looking one issue up in the full-text index costs about as much as putting this many matches in a set. */
const PROBE_COST = 100;

interface Where {
  conditions: string[];
  params: Record<string, unknown>;
}

interface Page {
  limit: number;
  offset: number;
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

const inUpdatedOrder = (search: IssueSearch) => search.sort !== 'created' && search.sort !== 'key';

const phrasesOf = (store: Store, text: string | undefined) => (text ? ftsPhrases(text, (prefix) => onlyCompletion(store, prefix)) : null);

/**
 * One page of live issues matching every given filter; `total` counts them all. The index holds
 * live issues only: a text search without other filters is counted and ranked on the index alone
 * (issueRanking.ts), and only the page's rows are read from `issues`.
 */
export function searchIssues(store: Store, search: IssueSearch): IssueSearchPage {
  const page = { limit: search.limit ?? 50, offset: search.offset ?? 0 };
  const phrases = phrasesOf(store, search.text);
  if (phrases === null) return filterPage(store, search, page);
  const filtered = filterWhere(search).conditions.length > 1;
  if (!filtered && (search.sort ?? 'relevance') === 'relevance') return rankedPage(store, phrases, search.order, page);
  const match = matchOf(phrases);
  const matches = countMatches(store, match);
  if (matches === 0) return { rows: [], total: 0 };
  const { total, filterRows } = filtered ? countFiltered(store, search, match, matches) : { total: matches, filterRows: null };
  return { rows: total === 0 ? [] : textRows(store, search, match, { matches, total, filterRows }, page), total };
}

/**
 * A relevance page: the count, the page's seqs and their rows in one read transaction (one index
 * state), unless the caller's own transaction is open: then nothing is kept for later (its
 * writes might yet be rolled back).
 */
function rankedPage(store: Store, phrases: string[], order: IssueSearch['order'], page: Page): IssueSearchPage {
  const cache = !store.sqlite.inTransaction;
  const read = () => {
    const ranked = rankMatches(store, phrases, order, page, cache);
    const rows = ranked.seqs.length === 0 ? [] : pageRows(store, ranked.seqs);
    return { rows, total: ranked.total };
  };
  return cache ? store.sqlite.transaction(read)() : read();
}

/** The issues `seqs` names, in that order. */
function pageRows(store: Store, seqs: number[]): IssueRow[] {
  return store
    .statement(`SELECT ${ROW_COLUMNS} FROM json_each(@seqs) AS page JOIN issues i ON i.seq = page.value ORDER BY page.key`)
    .all({ seqs: JSON.stringify(seqs) }) as IssueRow[];
}

/**
 * Every match in relevance order (ties by row id), with its row: the CSV of a text alone. bm25 is
 * computed for every match.
 */
function rankedSql(order: IssueSearch['order']): string {
  const direction = order === 'asc' ? 'DESC' : 'ASC';
  return `WITH ranked AS (${rankedSeqsSql(direction)})
          SELECT ${ROW_COLUMNS} FROM ranked JOIN issues i ON i.seq = ranked.seq
          ORDER BY ranked.score ${direction}, ranked.seq ${direction}`;
}

/** A page without text: in updated order it walks the browse index; counted on the facets index. */
function filterPage(store: Store, search: IssueSearch, page: Page): IssueSearchPage {
  const where = filterWhere(search, inUpdatedOrder(search) ? 'walk' : undefined);
  const rows = store
    .statement(`SELECT ${ROW_COLUMNS} FROM issues i WHERE ${where.conditions.join(' AND ')} ${orderBy(search)} LIMIT @limit OFFSET @offset`)
    .all({ ...where.params, ...page }) as IssueRow[];
  // Counted on the facets index, which holds every filter column: SQLite would otherwise scan the table.
  const seek = filterWhere(search, 'seek');
  const total = store
    .statement(`SELECT COUNT(*) AS n FROM issues i INDEXED BY issues_live_facets_idx WHERE ${seek.conditions.join(' AND ')}`)
    .get(seek.params) as { n: number };
  return { rows, total: total.n };
}

/**
 * Text and filters counted from the smaller side, both read from indexes only (the facets index
 * holds every filter column). A bounded look at the facets index tells which side that is: the
 * issues the filters keep are put in a set and the text's matches tested against it (`+rowid`:
 * FTS5 would otherwise run the query once per issue of the set), or the matches are put in a set
 * and the filtered entries tested. `filterRows` is how many the filters keep when fewer than the
 * matches, else null.
 */
function countFiltered(store: Store, search: IssueSearch, match: string, matches: number): { total: number; filterRows: number | null } {
  const seek = filterWhere(search, 'seek');
  const filters = `SELECT i.seq FROM issues i INDEXED BY issues_live_facets_idx WHERE ${seek.conditions.join(' AND ')}`;
  const look = store.statement(`SELECT COUNT(*) AS n FROM (${filters} LIMIT @matches)`).get({ ...seek.params, matches }) as { n: number };
  const fewerFiltered = look.n < matches;
  const sql = fewerFiltered
    ? `SELECT COUNT(*) AS n FROM issues_fts WHERE issues_fts MATCH @match AND +rowid IN (${filters})`
    : `SELECT COUNT(*) AS n FROM issues i INDEXED BY issues_live_facets_idx WHERE ${[MATCHING_SEQS, ...seek.conditions].join(' AND ')}`;
  const total = (store.statement(sql).get({ ...seek.params, match }) as { n: number }).n;
  return { total, filterRows: fewerFiltered ? look.n : null };
}

/**
 * A page of text matches in a column's order, in the cheapest of three ways:
 * - in updated order, an exact query whose page is near the start of the browse index: walk it,
 *   test the filters in its entries and look only the entries that pass up in the full-text index
 *   (the walk passes about `filterRows / total` of them per match on the page);
 * - a few matches: read them by row id and sort them;
 * - otherwise the matches are put in a set and the browse index walked against it (or, in another
 *   column's order, the matching rows read and sorted).
 */
function textRows(
  store: Store,
  search: IssueSearch,
  match: string,
  counts: { matches: number; total: number; filterRows: number | null },
  page: Page,
): IssueRow[] {
  const inOrder = inUpdatedOrder(search);
  if (inOrder && !isPrefixQuery(match)) {
    // Without filters, or with filters keeping more issues than the text matches, every issue bounds them.
    const passing = counts.filterRows ?? (store.statement(`SELECT MAX(seq) AS n FROM issues`).get() as { n: number }).n;
    const lookups = ((page.offset + page.limit) * passing) / counts.total;
    if (lookups * PROBE_COST < counts.matches) {
      const walk = filterWhere(search, 'walk');
      return store
        .statement(
          `SELECT ${ROW_COLUMNS} FROM issues i INDEXED BY issues_live_browse_idx
           WHERE ${[...walk.conditions, MATCHES_ISSUE].join(' AND ')} ${orderBy(search)} LIMIT @limit OFFSET @offset`,
        )
        .all({ ...walk.params, match, ...page }) as IssueRow[];
    }
  }
  const where = filterWhere(search, inOrder ? 'walk' : undefined);
  const walk = inOrder && counts.matches >= FEW_MATCHES ? 'INDEXED BY issues_live_browse_idx' : '';
  return store
    .statement(
      `SELECT ${ROW_COLUMNS} FROM issues i ${walk} WHERE ${[MATCHING_SEQS, ...where.conditions].join(' AND ')} ${orderBy(search)}
       LIMIT @limit OFFSET @offset`,
    )
    .all({ ...where.params, match, ...page }) as IssueRow[];
}

/**
 * Every live issue the search matches, in the view's order, one at a time: the Issues view's CSV.
 * A text alone in relevance order is ranked like the view's pages (all matches sorted by score).
 */
export function iterateIssueSearch(store: Store, search: Omit<IssueSearch, 'limit' | 'offset'>): IterableIterator<IssueRow> {
  const phrases = phrasesOf(store, search.text);
  const match = phrases === null ? null : matchOf(phrases);
  const where = filterWhere(search);
  if (match !== null && where.conditions.length === 1 && (search.sort ?? 'relevance') === 'relevance') {
    return store.statement(rankedSql(search.order)).iterate({ match, limit: -1, offset: 0 }) as IterableIterator<IssueRow>;
  }
  const conditions = match === null ? where.conditions : [MATCHING_SEQS, ...where.conditions];
  return store
    .statement(`SELECT ${ROW_COLUMNS} FROM issues i WHERE ${conditions.join(' AND ')} ${orderBy(search)}`)
    .iterate({ ...where.params, ...(match === null ? {} : { match }) }) as IterableIterator<IssueRow>;
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
