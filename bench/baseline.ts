/**
 * The naive baseline, written the way a user would script a Jira export: projects one after
 * another, 50 issues per page through Cloud's `POST /rest/api/3/search/jql` (nextPageToken paging,
 * fields `*navigable`), plain `fetch`, one `INSERT OR REPLACE` per issue in autocommit mode into a
 * simple table, SQLite's default settings (rollback journal, no WAL, synchronous FULL).
 */
import Database from 'better-sqlite3';

export interface BaselineOptions {
  url: string;
  email: string;
  token: string;
  dbFile: string;
  /** Default 50, what tutorials and Jira's own default suggest. */
  pageSize?: number;
}

export interface BaselineResult {
  issues: number;
  apiCalls: number;
  seconds: number;
  /** What SQLite reports: 'delete' with the defaults (no WAL). */
  journalMode: string;
  rowsInDb: number;
}

interface SearchPage {
  issues: Array<{ id: string; key: string; fields: { summary?: string; updated?: string } }>;
  nextPageToken?: string;
  isLast?: boolean;
}

export async function runBaseline(options: BaselineOptions): Promise<BaselineResult> {
  const pageSize = options.pageSize ?? 50;
  const headers = {
    Authorization: `Basic ${Buffer.from(`${options.email}:${options.token}`).toString('base64')}`,
    'Content-Type': 'application/json',
    Accept: 'application/json',
  };
  const db = new Database(options.dbFile);
  try {
    db.exec('CREATE TABLE IF NOT EXISTS issues (id TEXT PRIMARY KEY, key TEXT, project TEXT, summary TEXT, updated TEXT, raw_json TEXT)');
    const insert = db.prepare('INSERT OR REPLACE INTO issues (id, key, project, summary, updated, raw_json) VALUES (?, ?, ?, ?, ?, ?)');
    let apiCalls = 0;
    let issues = 0;
    const getJson = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
      apiCalls += 1;
      const response = await fetch(`${options.url}${path}`, { ...init, headers });
      if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path} → HTTP ${response.status}: ${await response.text()}`);
      return (await response.json()) as T;
    };

    const started = performance.now();
    const projectKeys: string[] = [];
    for (let startAt = 0; ;) {
      const page = await getJson<{ values: Array<{ key: string }>; isLast?: boolean }>(
        `/rest/api/3/project/search?startAt=${startAt}&maxResults=50`,
      );
      projectKeys.push(...page.values.map((p) => p.key));
      startAt += page.values.length;
      if (page.isLast !== false || page.values.length === 0) break;
    }
    for (const projectKey of projectKeys) {
      let nextPageToken: string | undefined;
      do {
        const page = await getJson<SearchPage>('/rest/api/3/search/jql', {
          method: 'POST',
          body: JSON.stringify({
            jql: `project = "${projectKey}" ORDER BY key ASC`,
            maxResults: pageSize,
            fields: ['*navigable'],
            nextPageToken,
          }),
        });
        for (const issue of page.issues) {
          insert.run(issue.id, issue.key, projectKey, issue.fields.summary ?? null, issue.fields.updated ?? null, JSON.stringify(issue));
          issues += 1;
        }
        nextPageToken = page.isLast === false ? page.nextPageToken : undefined;
      } while (nextPageToken);
    }
    const seconds = (performance.now() - started) / 1000;
    const journalMode = String(db.pragma('journal_mode', { simple: true }));
    const rowsInDb = (db.prepare('SELECT COUNT(*) AS n FROM issues').get() as { n: number }).n;
    return { issues, apiCalls, seconds, journalMode, rowsInDb };
  } finally {
    db.close();
  }
}
