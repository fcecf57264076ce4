/**
 * The mirror itself: issues upserted page by page. A page is written in one transaction together
 * with the project's cursor and the run's counters, so a crash never leaves half a page behind
 * or a cursor ahead of what was written.
 */
import type { IssuePage, MirroredIssue } from '../shared/issues.ts';
import type { Statement } from 'better-sqlite3';
import type { Store } from './db.ts';
import { addProjectPageCounts, type PageCounts } from './runs.ts';

/** An issue as the engine hands it to the store: already validated and converted to UTC. */
export interface MirrorIssue {
  id: string;
  key: string;
  projectKey: string;
  summary: string;
  /** Plain text of the description, for full-text search (not a column: the raw JSON keeps it). */
  description: string;
  status: string | null;
  statusCategory: string | null;
  issueType: string | null;
  priority: string | null;
  assignee: string | null;
  reporter: string | null;
  created: string | null;
  updatedMs: number;
  resolution: string | null;
  /** JSON text of the labels list. */
  labels: string;
  /** The issue's JSON exactly as Jira sent it (UTF-8 bytes), stored as its raw copy. */
  raw: Uint8Array;
  contentHash: string;
}

export interface IssuePageCommit {
  instanceId: string;
  /** The project whose cursor this page advances. */
  projectKey: string;
  runId: string;
  projectDetailId: number;
  /** The range this page belongs to when the project is split; null advances the project's own cursor. */
  sliceId: number | null;
  issues: MirrorIssue[];
}

const LOOKUP_CHUNK = 500;

/** The columns an issue's values fill, in the order `issueValues` gives them. */
const ISSUE_COLUMNS = [
  'key',
  'project_key',
  'summary',
  'status',
  'status_category',
  'issue_type',
  'priority',
  'assignee',
  'reporter',
  'created',
  'updated',
  'updated_ms',
  'resolution',
  'labels',
  'content_hash',
  'last_changed_run_id',
];

function issueValues(issue: MirrorIssue, runId: string): unknown[] {
  return [
    issue.key,
    issue.projectKey,
    issue.summary,
    issue.status,
    issue.statusCategory,
    issue.issueType,
    issue.priority,
    issue.assignee,
    issue.reporter,
    issue.created,
    new Date(issue.updatedMs).toISOString(),
    issue.updatedMs,
    issue.resolution,
    issue.labels,
    issue.contentHash,
    runId,
  ];
}

/**
 * Writes pages of issues: one transaction per page (or per group of pages) for the rows, their full-text entries (and
 * their note in `issue_text_changes`), the cursor and the run's counters. Plain prepared
 * statements with positional parameters: this runs for every issue of every sync.
 */
export function createIssueWriter(store: Store) {
  const insert = store.sqlite.prepare(
    `INSERT INTO issues (instance_id, id, first_seen_run_id, ${ISSUE_COLUMNS.join(', ')})
     VALUES (?, ?, ?, ${ISSUE_COLUMNS.map(() => '?').join(', ')})`,
  );
  const update = store.sqlite.prepare(
    `UPDATE issues SET ${ISSUE_COLUMNS.map((column) => `${column} = ?`).join(', ')}, deleted_at = NULL WHERE seq = ?`,
  );
  // The bytes as text (SQLite's JSON functions read text, not blobs), without a copy through JavaScript.
  const insertBody = store.sqlite.prepare(`INSERT INTO issue_bodies (issue_seq, raw_json) VALUES (?, CAST(? AS TEXT))`);
  const updateBody = store.sqlite.prepare(`UPDATE issue_bodies SET raw_json = CAST(? AS TEXT) WHERE issue_seq = ?`);
  // A new issue has no entry yet: a plain insert spares the index a lookup of the rowid first.
  const indexNew = store.sqlite.prepare(`INSERT INTO issues_fts (rowid, key, summary, description) VALUES (?, ?, ?, ?)`);
  const index = store.sqlite.prepare(`INSERT OR REPLACE INTO issues_fts (rowid, key, summary, description) VALUES (?, ?, ?, ?)`);
  // The page's indexed issues as changes to the index (what a carried-forward ranking rescores), in one statement.
  const noteChanges = store.sqlite.prepare(`INSERT INTO issue_text_changes (seq) SELECT value FROM json_each(?)`);
  const lookups = new Map<number, Statement<unknown[]>>();
  const lookup = (count: number) => {
    let statement = lookups.get(count);
    if (!statement) {
      statement = store.sqlite.prepare(
        `SELECT id, seq, content_hash AS hash, deleted_at AS deletedAt FROM issues
         WHERE instance_id = ? AND id IN (${new Array(count).fill('?').join(',')})`,
      );
      lookups.set(count, statement);
    }
    return statement;
  };
  const advanceCursor = store.sqlite.prepare(
    `UPDATE projects SET cursor_updated_ms = MAX(COALESCE(cursor_updated_ms, 0), ?) WHERE instance_id = ? AND key = ?`,
  );
  const advanceSlice = store.sqlite.prepare(`UPDATE sync_slices SET committed_ms = MAX(COALESCE(committed_ms, 0), ?) WHERE id = ?`);

  const writePage = (page: IssuePageCommit): PageCounts => {
    // A page may repeat an issue (overlap, concurrent change): the last copy wins.
    const unique = new Map(page.issues.map((issue) => [issue.id, issue]));
    const ids = [...unique.keys()];
    const known = new Map<string, { seq: number; hash: string; deletedAt: string | null }>();
    for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
      const chunk = ids.slice(i, i + LOOKUP_CHUNK);
      for (const row of lookup(chunk.length).all(page.instanceId, ...chunk) as Array<{
        id: string;
        seq: number;
        hash: string;
        deletedAt: string | null;
      }>) {
        known.set(row.id, row);
      }
    }
    const counts: PageCounts = { processed: page.issues.length, created: 0, updated: 0, unchanged: 0 };
    let maxUpdatedMs = 0;
    const indexed: Array<number | bigint> = [];
    for (const issue of unique.values()) {
      maxUpdatedMs = Math.max(maxUpdatedMs, issue.updatedMs);
      const before = known.get(issue.id);
      if (before && before.hash === issue.contentHash && before.deletedAt === null) {
        counts.unchanged += 1;
        continue;
      }
      const values = issueValues(issue, page.runId);
      let seq: number | bigint;
      if (before) {
        counts.updated += 1;
        seq = before.seq;
        update.run(...values, seq);
        updateBody.run(issue.raw, seq);
        index.run(seq, issue.key, issue.summary, issue.description);
      } else {
        counts.created += 1;
        seq = insert.run(page.instanceId, issue.id, page.runId, ...values).lastInsertRowid;
        insertBody.run(seq, issue.raw);
        indexNew.run(seq, issue.key, issue.summary, issue.description);
      }
      indexed.push(seq);
    }
    if (indexed.length > 0) noteChanges.run(JSON.stringify(indexed.map(Number)));
    // Repeats inside one page were processed once: count them as unchanged re-reads.
    counts.unchanged += page.issues.length - unique.size;
    if (unique.size > 0 && page.sliceId === null) advanceCursor.run(maxUpdatedMs, page.instanceId, page.projectKey);
    if (unique.size > 0 && page.sliceId !== null) advanceSlice.run(maxUpdatedMs, page.sliceId);
    addProjectPageCounts(store, page.projectDetailId, counts);
    return counts;
  };
  const commit = store.sqlite.transaction(writePage);
  const commitAll = store.sqlite.transaction((pages: readonly IssuePageCommit[]) => pages.map(writePage));

  // IMMEDIATE: the page's first statement reads, and another connection (the engine's own, the UI)
  // may commit meanwhile; a deferred transaction would then fail to upgrade instead of waiting.
  return {
    commit: (page: IssuePageCommit): PageCounts => commit.immediate(page),
    /**
     * Several pages in one transaction, each with its own cursor and counters: all or none. Much
     * cheaper than one each: a commit writes every index page it touched to the log, and the
     * pages of an index keyed by id or key are touched all over at every commit.
     */
    commitAll: (pages: readonly IssuePageCommit[]): PageCounts[] => commitAll.immediate(pages),
  };
}

export type IssueWriter = ReturnType<typeof createIssueWriter>;

/** What a project's id list from Jira (a sweep) says about the mirror. */
export interface IdReconciliation {
  /** Live mirrored issues of the project missing from the list, now marked deleted. */
  deleted: number;
  /** Listed ids the mirror does not hold live under this project. */
  missing: string[];
  /** Live mirrored issues of the project afterwards (all of them listed). */
  mirrored: number;
}

/**
 * The deletion sweep: every live mirrored issue of the project whose id Jira no longer lists there
 * (deleted, moved to a project not mirrored, or made invisible) is marked deleted, in one
 * transaction that also finds the listed ids the mirror lacks.
 */
export function reconcileProjectIds(
  store: Store,
  instanceId: string,
  projectKey: string,
  liveIds: Set<string>,
  projectDetailId: number,
): IdReconciliation {
  // IMMEDIATE: it reads before it writes while the page thread may be committing (see createIssueWriter).
  return store.sqlite
    .transaction((): IdReconciliation => {
      store.sqlite.exec(`CREATE TEMP TABLE IF NOT EXISTS sweep_ids (id TEXT PRIMARY KEY) WITHOUT ROWID`);
      store.sqlite.exec(`DELETE FROM temp.sweep_ids`);
      const insert = store.statement(`INSERT OR IGNORE INTO temp.sweep_ids (id) VALUES (?)`);
      for (const id of liveIds) insert.run(id);
      const deleted = store
        .statement(
          `UPDATE issues SET deleted_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE instance_id = ? AND project_key = ? AND deleted_at IS NULL AND id NOT IN (SELECT id FROM temp.sweep_ids)`,
        )
        .run(instanceId, projectKey).changes;
      const missing = (
        store
          .statement(
            `SELECT s.id FROM temp.sweep_ids s
           WHERE NOT EXISTS (SELECT 1 FROM issues i WHERE i.instance_id = ? AND i.id = s.id AND i.project_key = ? AND i.deleted_at IS NULL)
           ORDER BY CAST(s.id AS INTEGER)`,
          )
          .all(instanceId, projectKey) as Array<{ id: string }>
      ).map((row) => row.id);
      store.sqlite.exec(`DELETE FROM temp.sweep_ids`);
      store.statement(`UPDATE sync_project_details SET issues_deleted = issues_deleted + ? WHERE id = ?`).run(deleted, projectDetailId);
      return { deleted, missing, mirrored: countMirrored(store, instanceId, projectKey, null, null) };
    })
    .immediate();
}

/** Live mirrored issues of a project with `fromMs <= updated < beforeMs` (either bound optional), counted by the index. */
export function countMirrored(
  store: Store,
  instanceId: string,
  projectKey: string,
  fromMs: number | null,
  beforeMs: number | null,
): number {
  return (
    store
      .statement(
        `SELECT COUNT(*) AS n FROM issues
         WHERE instance_id = @instanceId AND project_key = @projectKey AND deleted_at IS NULL
           AND updated_ms >= @fromMs AND updated_ms < @beforeMs`,
      )
      .get({ instanceId, projectKey, fromMs: fromMs ?? Number.MIN_SAFE_INTEGER, beforeMs: beforeMs ?? Number.MAX_SAFE_INTEGER }) as {
      n: number;
    }
  ).n;
}

export interface IssueQuery {
  instanceId?: string;
  project?: string;
  limit?: number;
  offset?: number;
}

function issueFilter(query: IssueQuery): { where: string; params: unknown[] } {
  const conditions = ['i.deleted_at IS NULL'];
  const params: unknown[] = [];
  if (query.instanceId) {
    conditions.push('i.instance_id = ?');
    params.push(query.instanceId);
  }
  if (query.project) {
    conditions.push('i.project_key = ?');
    params.push(query.project);
  }
  return { where: conditions.join(' AND '), params };
}

function issueRows(store: Store, query: IssueQuery) {
  const { where, params } = issueFilter(query);
  const statement = store.sqlite.prepare(
    `SELECT n.name AS instance, i.id, i.key, i.project_key AS projectKey, i.summary, COALESCE(i.status, '') AS status,
            i.updated
     FROM issues i JOIN instances n ON n.id = i.instance_id
     WHERE ${where}
     ORDER BY n.name, i.project_key, CAST(substr(i.key, instr(i.key, '-') + 1) AS INTEGER)
     LIMIT ? OFFSET ?`,
  );
  return { statement, args: [...params, query.limit ?? -1, query.offset ?? 0], where, params };
}

/** Mirrored issues (not deleted), ordered by instance, project and issue number. */
export function listIssues(store: Store, query: IssueQuery = {}): IssuePage {
  const { statement, args, where, params } = issueRows(store, query);
  const rows = statement.all(...args) as MirroredIssue[];
  const total = (store.sqlite.prepare(`SELECT COUNT(*) AS n FROM issues i WHERE ${where}`).get(...params) as { n: number }).n;
  return { rows, total };
}

/** The same rows one at a time, for exports of any size in constant memory. */
export function iterateIssues(store: Store, query: IssueQuery = {}): IterableIterator<MirroredIssue> {
  const { statement, args } = issueRows(store, query);
  return statement.iterate(...args) as IterableIterator<MirroredIssue>;
}
