import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../src/cli/main.ts';
import { openBackend } from '../../src/service/openBackend.ts';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import { openStore } from '../../src/store/db.ts';
import { tempDir } from '../helpers/tempDb.ts';

const TOKEN = 'cli-test-token-91c0d7';
const BIN = new URL('../../bin/jira-mirror.js', import.meta.url).pathname;

interface CliResult {
  code: number;
  out: string;
  err: string;
}

async function cli(dbFile: string, args: string[], env: NodeJS.ProcessEnv = {}, stdin = ''): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    progress: () => undefined,
    env,
    readStdin: async () => stdin,
    onInterrupt: () => () => undefined,
  };
  const code = await runCli(['--db', dbFile, ...args], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** `instance add` arguments for a Cloud instance whose token is read from JIRA_TOKEN. */
function addCloudInstance(name: string, url: string): string[] {
  return ['instance', 'add', '--name', name, '--url', url, '--flavor', 'cloud', '--email', 'me@example.com', '--token-env', 'JIRA_TOKEN'];
}

function dbDigest(dbFile: string): string {
  const store = openStore({ file: dbFile });
  try {
    const dump = ['instances', 'projects', 'issues', 'sync_runs', 'sync_project_details', 'configurations']
      .map((t) => JSON.stringify(store.sqlite.prepare(`SELECT * FROM ${t} ORDER BY 1`).all()))
      .join('\n');
    return createHash('sha256').update(dump).digest('hex');
  } finally {
    store.close();
  }
}

let sim: RunningSimulator;
let temp: ReturnType<typeof tempDir>;
const env = { JIRA_TOKEN: TOKEN };

beforeAll(async () => {
  sim = await startSimulator({
    flavor: 'cloud',
    projects: [
      { key: 'CORE', issues: 140 },
      { key: 'APP', issues: 60 },
    ],
    auth: { email: 'me@example.com', apiToken: TOKEN },
  });
  temp = tempDir();
});
afterAll(async () => {
  await sim.close();
  temp.cleanup();
});

describe('jira-mirror against a Jira Cloud-compatible server', () => {
  it('adds an instance, mirrors every issue once, then reports exactly the server-side changes', async () => {
    const add = await cli(temp.dbFile, addCloudInstance('acme', sim.url), env);
    expect(add).toMatchObject({ code: 0, out: `added instance acme (cloud, ${sim.url})` });

    const first = await cli(temp.dbFile, ['sync', '--json'], env);
    expect(first.code).toBe(0);
    const run1 = JSON.parse(first.out);
    expect(Object.keys(run1)).toEqual([
      'id',
      'status',
      'initiatedBy',
      'startedAt',
      'completedAt',
      'durationMs',
      'totalProjects',
      'successfulProjects',
      'failedProjects',
      'totalIssues',
      'issuesCreated',
      'issuesUpdated',
      'issuesUnchanged',
      'issuesDeleted',
      'errorMessage',
      'errorCategory',
    ]);
    expect(run1).toMatchObject({ status: 'completed', initiatedBy: 'cli', totalProjects: 2, totalIssues: 200, issuesCreated: 200 });

    const issues = JSON.parse((await cli(temp.dbFile, ['issues', '--json'], env)).out) as Array<{
      key: string;
      id: string;
      updated: string;
      instance: string;
    }>;
    expect(issues).toHaveLength(200);
    expect(new Set(issues.map((i) => i.key)).size).toBe(200);
    expect(new Set(issues.map((i) => i.key))).toEqual(new Set(sim.control.snapshot().map((i) => i.key)));
    expect(issues[0]).toMatchObject({ instance: 'acme', key: 'APP-1' });
    expect(issues[0]!.updated).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

    sim.control.updateIssues(['CORE-1', 'CORE-2', 'CORE-3', 'APP-10', 'APP-60']);
    sim.control.createIssues('CORE', 2);
    sim.control.createIssues('APP', 1);
    const second = JSON.parse((await cli(temp.dbFile, ['sync', '--json'], env)).out);
    expect(second).toMatchObject({ status: 'completed', issuesUpdated: 5, issuesCreated: 3 });

    const history = JSON.parse((await cli(temp.dbFile, ['history', '--json'], env)).out);
    expect(history.total).toBe(2);
    expect(history.rows.map((r: { id: string }) => r.id)).toEqual([second.id, run1.id]);
    expect(history.rows[0]).toEqual(second);

    const shown = JSON.parse((await cli(temp.dbFile, ['show', second.id, '--json'], env)).out);
    expect(shown).toMatchObject(second);
    expect(shown.notices).toEqual([]);
    // Each project's completeness check: Cloud's approximate count against the mirror, both leaving
    // out what changed in the 5 minutes before the sync (3 in APP, 5 in CORE: checked next time).
    expect(shown.projects.map((p: { projectKey: string; verification: unknown }) => [p.projectKey, p.verification])).toEqual([
      [
        'APP',
        { result: 'approximate', method: 'approximate-count', jiraCount: 58, mirrorCount: 58, before: expect.stringMatching(/:00\.000Z$/) },
      ],
      [
        'CORE',
        {
          result: 'approximate',
          method: 'approximate-count',
          jiraCount: 137,
          mirrorCount: 137,
          before: expect.stringMatching(/:00\.000Z$/),
        },
      ],
    ]);
    const store = openStore({ file: temp.dbFile });
    try {
      const fromDb = store.sqlite
        .prepare(
          `SELECT project_key AS projectKey, issues_created AS c, issues_updated AS u, status FROM sync_project_details WHERE sync_id = ? ORDER BY project_key`,
        )
        .all(second.id);
      expect(
        shown.projects.map((p: { projectKey: string; issuesCreated: number; issuesUpdated: number; status: string }) => ({
          projectKey: p.projectKey,
          c: p.issuesCreated,
          u: p.issuesUpdated,
          status: p.status,
        })),
      ).toEqual(fromDb);
      expect(fromDb).toEqual([
        { projectKey: 'APP', c: 1, u: 2, status: 'completed' },
        { projectKey: 'CORE', c: 2, u: 3, status: 'completed' },
      ]);
      expect(store.sqlite.prepare(`SELECT COUNT(*) AS n FROM issues`).get()).toEqual({ n: 203 });
    } finally {
      store.close();
    }
  });

  it('refuses bad input with a one-line error and leaves the database untouched', async () => {
    const before = dbDigest(temp.dbFile);
    const cases: Array<[string[], NodeJS.ProcessEnv, number, RegExp]> = [
      [
        ['history', '--status', 'done'],
        env,
        2,
        /^jira-mirror: --status must be one of running, completed, partial, failed, stopped, interrupted; got "done"/,
      ],
      [
        ['instance', 'add', '--name', 'bad', '--url', 'not a url', '--flavor', 'cloud', '--email', 'a@b.c', '--token-env', 'X'],
        env,
        2,
        /^jira-mirror: --url: "not a url" is not a valid URL/,
      ],
      [
        ['instance', 'add', '--name', 'bad', '--url', 'https://x.example', '--flavor', 'server', '--token-env', 'X'],
        env,
        2,
        /--flavor must be one of cloud, datacenter/,
      ],
      [['history', '--limit', 'ten'], env, 2, /--limit must be a whole number/],
      [['history', '--from', 'yesterday'], env, 2, /--from must be an ISO-8601 date/],
      [['show', 'not-a-uuid'], env, 2, /run id must be a UUID/],
      [['frobnicate'], env, 2, /unknown command "frobnicate"/],
      [
        ['config', 'set', 'performance', 'batch_size=0'],
        env,
        2,
        /^jira-mirror: batch_size must be between 1 and 1000 issues \(see jira-mirror --help\)$/,
      ],
      [
        ['config', 'set', 'performance', 'max_workers=0'],
        env,
        2,
        /^jira-mirror: max_workers must be between 1 and 32 workers \(see jira-mirror --help\)$/,
      ],
      [
        ['config', 'set', 'performance', 'maxRetries=2.5'],
        env,
        2,
        /^jira-mirror: max_retries must be a whole number \(see jira-mirror --help\)$/,
      ],
      [['config', 'set', 'performance', 'warp_speed=9'], env, 2, /unknown performance setting "warp_speed"/],
      [['sync'], {}, 1, /^jira-mirror: instance "acme" reads its token from the environment variable JIRA_TOKEN, which is not set$/],
    ];
    for (const [args, caseEnv, code, message] of cases) {
      const result = await cli(temp.dbFile, args, caseEnv);
      expect({ args, code: result.code }).toEqual({ args, code });
      expect(result.err).toMatch(message);
      expect(result.err.split('\n')).toHaveLength(1);
      expect(result.out).toBe('');
    }
    expect(dbDigest(temp.dbFile)).toBe(before);
  });

  it('dry-runs a proposed configuration against the recorded runs without saving it', async () => {
    const before = (await cli(temp.dbFile, ['config', 'get', 'performance', '--json'], env)).out;
    const result = await cli(temp.dbFile, ['config', 'test', 'performance', 'max_workers=12', 'connection_pool_size=4', '--json'], env);
    expect(result.code).toBe(0);
    const estimate = JSON.parse(result.out);
    expect(estimate).toMatchObject({ basis: 'history', runsConsidered: 2, projects: 2, peakConcurrency: 2 });
    expect(estimate.warnings.map((w: { code: string }) => w.code)).toEqual(['workers-above-pool']);
    expect((await cli(temp.dbFile, ['config', 'get', 'performance', '--json'], env)).out).toBe(before);
    const human = await cli(temp.dbFile, ['config', 'test', 'performance', 'batch_size=500'], env);
    expect(human.out).toMatch(/^Estimate from the last 2 recorded runs:\n {2}duration ~/);
    expect(human.out).toContain(
      'warning: batch_size 500 is above what Jira Cloud returns per page (100 with full fields): it behaves like 100.',
    );
    const shown = await cli(
      temp.dbFile,
      ['show', JSON.parse((await cli(temp.dbFile, ['history', '--json', '--limit', '1'], env)).out).rows[0].id],
      env,
    );
    expect(shown.out).toMatch(/engine: peak RSS \d+ MB, peak heap \d+ MB/);
    expect(shown.out).toMatch(/ APP +completed .* approximate 58\/58 \(approximate-count\)/);
    expect(shown.out).toMatch(/PROJECT +ISSUES\/S +DB ROWS\/S/);
  });

  it('records an unreachable server as a failed run (Network) without touching the mirror', async () => {
    const other = tempDir();
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    try {
      await cli(
        other.dbFile,
        [
          'instance',
          'add',
          '--name',
          'down',
          '--url',
          `http://127.0.0.1:${closedPort}`,
          '--flavor',
          'datacenter',
          '--token-env',
          'JIRA_TOKEN',
        ],
        env,
      );
      await cli(other.dbFile, ['config', 'set', 'performance', 'max_retries=1', 'backoff_factor=0.1'], env);
      const result = await cli(other.dbFile, ['sync', '--json'], env);
      expect(result.code).toBe(1);
      const run = JSON.parse(result.out);
      expect(run).toMatchObject({ status: 'failed', errorCategory: 'Network', totalIssues: 0, totalProjects: 0 });
      expect(run.errorMessage).toMatch(/^down: network error on \/rest\/api\/2\/myself: ECONNREFUSED/);
    } finally {
      other.cleanup();
    }
  });

  it('stores a --token-stdin token beside the database, never in it', async () => {
    const other = tempDir();
    try {
      const add = await cli(
        other.dbFile,
        ['instance', 'add', '--name', 'piped', '--url', sim.url, '--flavor', 'cloud', '--email', 'me@example.com', '--token-stdin'],
        {},
        `${TOKEN}\n`,
      );
      expect(add.code).toBe(0);
      const run = JSON.parse((await cli(other.dbFile, ['sync', '--json', '--project', 'APP'], {})).out);
      expect(run).toMatchObject({ status: 'completed', totalProjects: 1 });
      expect(readFileSync(other.dbFile).toString('latin1')).not.toContain(TOKEN);
      const list = JSON.parse((await cli(other.dbFile, ['instance', 'list', '--json'], {})).out);
      expect(list).toEqual([expect.objectContaining({ name: 'piped', credential: 'stored', tokenEnv: null, isDemo: false })]);
      expect(JSON.stringify(list)).not.toContain(TOKEN);
    } finally {
      other.cleanup();
    }
  });
});

/** Runs bin/jira-mirror.js as a real process; `onLine` sees stdout lines as they come. */
function run(
  args: string[],
  env: NodeJS.ProcessEnv,
  onLine?: (line: string, child: ReturnType<typeof spawn>) => void,
  onStart = false,
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, JIRA_MIRROR_DB: '', ...env } });
    if (onStart && onLine) onLine('', child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      const before = out;
      out += d;
      if (onLine)
        for (const line of out
          .slice(before.lastIndexOf('\n') + 1)
          .split('\n')
          .slice(0, -1))
          onLine(line, child);
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d;
      if (onLine) onLine(`stderr: ${String(d)}`, child);
    });
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

describe('the jira-mirror executable', () => {
  it('stops a sync on Ctrl-C (exit 1, stopped, committed pages kept); meanwhile the app may not start a second sync', async () => {
    const slow = await startSimulator({
      projects: [{ key: 'SLOW', issues: 3000 }],
      latencyMs: 100,
      auth: { email: 'me@example.com', apiToken: TOKEN },
    });
    const other = tempDir();
    try {
      await cli(other.dbFile, addCloudInstance('slow', slow.url), env);
      await cli(other.dbFile, ['config', 'set', 'performance', 'batch_size=50', 'max_workers=1'], env);
      const watcher = openStore({ file: other.dbFile });
      let poll: NodeJS.Timeout | undefined;
      let conflict: Promise<unknown> | undefined;
      const result = await run(
        ['--db', other.dbFile, 'sync', '--json'],
        env,
        (_line, child) => {
          // Once the sync has started, interrupt it as soon as some issues are committed.
          poll ??= setInterval(() => {
            const { n } = watcher.sqlite.prepare('SELECT COUNT(*) AS n FROM issues').get() as { n: number };
            if (n >= 100) {
              clearInterval(poll);
              // While the CLI syncs, another process on the same database (the app) is refused.
              const app = openBackend({ dbFile: other.dbFile, initiator: 'app', env });
              conflict = app
                .dispatch('startSync', {})
                .finally(() => app.close())
                .finally(() => child.kill('SIGINT'));
            }
          }, 20);
        },
        true,
      );
      clearInterval(poll);
      watcher.close();
      expect(result.code).toBe(1);
      expect(await conflict).toEqual({
        ok: false,
        error: {
          code: 'CONFLICT',
          message: expect.stringMatching(
            /^a sync started by cli \(process \d+\) is already running on this database \(run [0-9a-f-]{36}\)$/,
          ),
        },
      });
      const stopped = JSON.parse(result.out);
      expect(stopped).toMatchObject({ status: 'stopped', errorCategory: 'Cancelled' });
      expect(stopped.totalIssues).toBeGreaterThanOrEqual(100);
      expect(stopped.totalIssues).toBeLessThan(3000);
      const store = openStore({ file: other.dbFile });
      try {
        expect(store.sqlite.prepare('SELECT COUNT(*) AS n FROM issues').get()).toEqual({ n: stopped.totalIssues });
      } finally {
        store.close();
      }
    } finally {
      await slow.close();
      other.cleanup();
    }
  });

  it('never prints the token, even when Jira rejects it', async () => {
    const other = tempDir();
    const wrong = 'wrong-token-4c1f9e8d7b';
    try {
      await cli(other.dbFile, addCloudInstance('acme', sim.url), env);
      const result = await run(['--db', other.dbFile, 'sync'], { JIRA_TOKEN: wrong });
      expect(result.code).toBe(1);
      expect(result.out).toContain('failed');
      expect(result.out).toContain('(Authentication)');
      for (const text of [result.out, result.err, readFileSync(other.dbFile).toString('latin1')]) {
        expect(text).not.toContain(wrong);
        expect(text).not.toContain(Buffer.from(`me@example.com:${wrong}`).toString('base64'));
      }
    } finally {
      other.cleanup();
    }
  });

  it('serves the browser preview: its URL (with the token) is the first line of output', async () => {
    const other = tempDir();
    try {
      let checked: Promise<[number, string | null, number, unknown]> | null = null;
      const result = await run(['--db', other.dbFile, 'web', '--port', '0'], {}, (line, child) => {
        if (checked || !line.startsWith('http')) return;
        checked = (async () => {
          const url = new URL(line);
          const page = await fetch(url);
          const api = await fetch(new URL('/api/call/listRuns', url), {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: '{}',
          });
          // The preview hosts the schedule too (idle until an instance exists).
          const schedule = await fetch(new URL('/api/call/getSchedule', url), {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${url.searchParams.get('token')}` },
            body: '{}',
          }).then((response) => response.json());
          child.kill('SIGINT');
          return [page.status, page.headers.get('content-security-policy'), api.status, schedule];
        })();
      });
      expect(result.out.split('\n')[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
      const [pageStatus, csp, apiWithoutToken, schedule] = await checked!;
      expect(schedule).toMatchObject({ ok: true, data: { enabled: true, intervalMinutes: 60, state: 'no-instance', nextDueAt: null } });
      expect(pageStatus).toBe(200);
      expect(csp).toContain("default-src 'self'");
      expect(apiWithoutToken).toBe(401);
      expect(result.code).toBe(0);
    } finally {
      other.cleanup();
    }
  });

  it('starts a simulator with faults from the command line', async () => {
    let url = '';
    const result = await run(
      ['simulator', '--projects', '1', '--issues', '5', '--prerender', '--faults', '[{"kind":"status","status":503,"count":1}]'],
      {},
      (line, child) => {
        if (!url && line.startsWith('http://127.0.0.1:')) {
          url = line;
          void (async () => {
            const auth = { authorization: `Basic ${Buffer.from('demo@example.com:demo-token').toString('base64')}` };
            const first = await fetch(`${url}/rest/api/3/myself`, { headers: auth });
            const second = await fetch(`${url}/rest/api/3/myself`, { headers: auth });
            child.kill('SIGINT');
            expect([first.status, second.status]).toEqual([503, 200]);
          })();
        }
      },
    );
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(result.code).toBe(0);
    const bad = await run(['simulator', '--faults', '[{"kind":"meteor"}]'], {});
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--faults must be a JSON list of fault rules.*unknown fault kind 'meteor'/);
    const badVersion = await run(['simulator', '--server-version', '10.x'], {});
    expect(badVersion.code).toBe(2);
    expect(badVersion.err).toContain("--server-version: version must look like 9.12.15 or 1001.0.0-SNAPSHOT, got '10.x'");
  });

  it('runs the demo with no setup: exit 0 and a completed run with issues', async () => {
    const result = await new Promise<CliResult>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'demo', '--json'], { env: { ...process.env, JIRA_MIRROR_DB: '' } });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
    });
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    const run = JSON.parse(result.out);
    expect(run.status).toBe('completed');
    expect(run.totalIssues).toBeGreaterThan(0);
    expect(run.totalIssues).toBe(run.issuesCreated);
  });
});
