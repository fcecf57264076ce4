// The naive baseline, written the way a user would script it: projects one after another, 50 issues
// per page, one INSERT per issue in autocommit mode, SQLite's default settings. Prints one JSON line.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const url = process.argv[2]!;
const auth = `Basic ${Buffer.from('demo@example.com:demo-token').toString('base64')}`;
const headers = { Authorization: auth, 'Content-Type': 'application/json', Accept: 'application/json' };
const dir = mkdtempSync(join(tmpdir(), 'jira-mirror-baseline-'));
const db = new Database(join(dir, 'baseline.db'));
db.exec('CREATE TABLE issues (id TEXT PRIMARY KEY, key TEXT, project TEXT, summary TEXT, updated TEXT, raw_json TEXT)');
const insert = db.prepare('INSERT OR REPLACE INTO issues VALUES (?, ?, ?, ?, ?, ?)');

const started = performance.now();
let issues = 0;
let apiCalls = 0;
const projects = (await (await fetch(`${url}/rest/api/3/project/search?maxResults=100`, { headers })).json()) as {
  values: Array<{ key: string }>;
};
apiCalls += 1;
for (const project of projects.values) {
  let token: string | undefined;
  do {
    const response = await fetch(`${url}/rest/api/3/search/jql`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ jql: `project = ${project.key} ORDER BY key`, maxResults: 50, fields: ['*navigable'], nextPageToken: token }),
    });
    apiCalls += 1;
    const page = (await response.json()) as {
      issues: Array<{ id: string; key: string; fields: { summary: string; updated: string } }>;
      nextPageToken?: string;
      isLast: boolean;
    };
    for (const issue of page.issues) {
      insert.run(issue.id, issue.key, project.key, issue.fields.summary, issue.fields.updated, JSON.stringify(issue));
      issues += 1;
    }
    token = page.isLast ? undefined : page.nextPageToken;
  } while (token);
}
const seconds = (performance.now() - started) / 1000;
db.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({ status: 'completed', issues, seconds, issuesPerSecond: issues / seconds, apiCalls, retries: 0, peakRssMb: (process.resourceUsage().maxRSS * 1024) / 1_048_576, cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6 })}\n`,
);
