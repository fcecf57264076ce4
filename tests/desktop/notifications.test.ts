/** When a notification is raised, what it says, how repeats coalesce, the recovery, the click target. */
import { describe, expect, it } from 'vitest';
import {
  decideOnRun,
  decideOnScheduleError,
  failureSignature,
  INITIAL_NOTIFIER_STATE,
  streakAfter,
  type NotifierState,
  type NotifyContext,
} from '../../src/desktop/notifications.ts';
import type { ErrorCategory, ProjectDetail, RunDetail } from '../../src/shared/model.ts';

const INSTANCES = ['acme', 'demo'];
const background: NotifyContext = { enabled: true, windowFocused: false, instanceNames: INSTANCES };
let serial = 0;

function project(
  instance: string,
  key: string,
  status: ProjectDetail['status'],
  category: ErrorCategory | null = null,
  message: string | null = null,
): ProjectDetail {
  return {
    instance,
    projectKey: key,
    status,
    startedAt: '2026-11-30T09:00:00.000Z',
    completedAt: '2026-11-30T09:01:00.000Z',
    durationMs: 60_000,
    issuesProcessed: 10,
    issuesCreated: 0,
    issuesUpdated: 0,
    issuesUnchanged: 10,
    issuesDeleted: 0,
    errorMessage: message,
    errorCategory: category,
    apiCalls: 2,
    retries: 0,
    rateLimited: 0,
    pages: 1,
    latencyP50Ms: 40,
    latencyP95Ms: 60,
    latencyMaxMs: 70,
    waitMs: 80,
    parseMs: 5,
    writeMs: 5,
    verification: null,
  };
}

function run(
  status: RunDetail['status'],
  projects: ProjectDetail[],
  error: { category: ErrorCategory; message: string } | null = null,
): RunDetail {
  serial += 1;
  return {
    id: `00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
    status,
    initiatedBy: 'scheduled',
    startedAt: '2026-11-30T09:00:00.000Z',
    completedAt: '2026-11-30T09:01:00.000Z',
    durationMs: 60_000,
    totalProjects: projects.length,
    successfulProjects: projects.filter((p) => p.status === 'completed').length,
    failedProjects: projects.filter((p) => p.status === 'failed').length,
    totalIssues: projects.reduce((sum, p) => sum + p.issuesProcessed, 0),
    issuesCreated: 0,
    issuesUpdated: 0,
    issuesUnchanged: 0,
    issuesDeleted: 0,
    errorMessage: error?.message ?? null,
    errorCategory: error?.category ?? null,
    projects,
    metrics: [],
    performanceConfig: null,
    peakRssBytes: null,
    peakHeapBytes: null,
    notices: [],
    instances: [],
  };
}

const authFailure = () =>
  run('failed', [], {
    category: 'Authentication',
    message: 'acme: HTTP 401 from /rest/api/3/myself: Client must be authenticated to access this resource.',
  });
const completed = () =>
  run('completed', [project('acme', 'PROJ', 'completed'), project('acme', 'WEB', 'completed'), project('demo', 'OPS', 'completed')]);

/** Feeds runs in order; returns what each produced. */
function sequence(runs: RunDetail[], context: NotifyContext = background, start: NotifierState = INITIAL_NOTIFIER_STATE) {
  let state = start;
  return runs.map((next) => {
    const decision = decideOnRun(state, next, context);
    state = decision.state;
    return decision;
  });
}

describe('failure notifications', () => {
  it('a failed sync: title the instance, body the category and the message; a click opens that run', () => {
    const failed = authFailure();
    const [decision] = sequence([failed]);
    expect(decision!.reason).toBe('shown');
    expect(decision!.notice).toEqual({
      kind: 'failure',
      title: 'Sync failed: acme',
      body: 'Authentication: Jira rejected the credentials.\nacme: HTTP 401 from /rest/api/3/myself: Client must be authenticated to access this resource.',
      runId: failed.id,
    });
  });

  it('a partial sync names the failed projects per instance', () => {
    const partial = run(
      'partial',
      [
        project('acme', 'PROJ', 'completed'),
        project('acme', 'WEB', 'failed', 'Timeout', 'the project took longer than project_timeout (1800 s)'),
        project('acme', 'OPS', 'failed', 'Timeout', 'the project took longer than project_timeout (1800 s)'),
        project('demo', 'DEMO', 'failed', 'Integrity', 'the mirror holds 118 of 120 issues'),
      ],
      { category: 'Timeout', message: 'acme/WEB: the project took longer than project_timeout (1800 s) (and 2 more failures)' },
    );
    const [decision] = sequence([partial]);
    expect(decision!.notice).toMatchObject({
      title: 'Sync partly failed: acme (OPS, WEB) · demo (DEMO)',
      body: 'Timeout: Jira answered too slowly.\nacme/WEB: the project took longer than project_timeout (1800 s) (and 2 more failures)',
    });
  });

  it('the body is short and never carries a secret', () => {
    const leaky = run('failed', [], {
      category: 'Network',
      message: `acme: request to https://bot:hunter2-secret@acme.example/rest failed with Authorization: Bearer abcdefghijklmnopqrstuvwxyz ${'x'.repeat(400)}`,
    });
    const body = sequence([leaky])[0]!.notice!.body;
    expect(body).not.toMatch(/hunter2|abcdefghijklmnop/);
    expect(body).toContain('[redacted]');
    expect(body.split('\n')[1]!.length).toBeLessThanOrEqual(200);
    expect(body.endsWith('…')).toBe(true);
  });

  it('one notification per streak: a repeat of the same failure raises nothing, whatever its wording', () => {
    const decisions = sequence([
      authFailure(),
      authFailure(),
      run('failed', [], { category: 'Authentication', message: 'acme: HTTP 401 from /rest/api/3/myself: token expired at 10:02' }),
    ]);
    expect(decisions.map((d) => d.reason)).toEqual(['shown', 'repeat', 'repeat']);
    expect(decisions[2]!.state.streak).toEqual({ signature: 'acme:Authentication', failures: 3 });
  });

  it('a different failure during the streak replaces the notification', () => {
    const timeout = run('partial', [project('acme', 'PROJ', 'completed'), project('acme', 'WEB', 'failed', 'Timeout', 'too slow')], {
      category: 'Timeout',
      message: 'acme/WEB: too slow',
    });
    const decisions = sequence([authFailure(), timeout]);
    expect(decisions.map((d) => d.reason)).toEqual(['shown', 'shown']);
    expect(decisions[1]!.notice).toMatchObject({ kind: 'failure', title: 'Sync partly failed: acme (WEB)', runId: timeout.id });
  });

  it('a quota rate limit is reported once, however many projects hit it and whatever time it names', () => {
    const quota = (keys: string[], until: string) =>
      run(
        'failed',
        keys.map((key) => project('acme', key, 'failed', 'RateLimit', `Jira's hourly quota is used up until ${until}`)),
        { category: 'RateLimit', message: `acme/${keys[0]}: Jira's hourly quota is used up until ${until}` },
      );
    const decisions = sequence([quota(['PROJ'], '10:00'), quota(['PROJ', 'WEB', 'OPS'], '11:00'), quota(['WEB'], '12:00')]);
    expect(decisions.map((d) => d.reason)).toEqual(['shown', 'repeat', 'repeat']);
    expect(decisions[0]!.notice!.body).toBe("RateLimit: Jira asked to slow down.\nacme/PROJ: Jira's hourly quota is used up until 10:00");
  });

  it('recovery: the first completed sync after failures tells so once, and opens the recovered run', () => {
    const recovered = completed();
    const decisions = sequence([authFailure(), authFailure(), recovered, completed()]);
    expect(decisions.map((d) => d.reason)).toEqual(['shown', 'repeat', 'shown', 'no-change']);
    expect(decisions[2]!.notice).toEqual({
      kind: 'recovery',
      title: 'Sync recovered: acme (PROJ, WEB) · demo (OPS)',
      body: 'Completed after 2 failed syncs; 30 issues synced.',
      runId: recovered.id,
    });
    expect(decisions[2]!.state).toEqual({ streak: null });
  });

  it('stopped and interrupted runs neither start nor end a streak', () => {
    const stopped = run('stopped', [project('acme', 'PROJ', 'stopped')], {
      category: 'Cancelled',
      message: 'Stopped by the user; committed pages were kept.',
    });
    const interrupted = run('interrupted', []);
    const decisions = sequence([stopped, authFailure(), interrupted, stopped, authFailure(), completed()]);
    expect(decisions.map((d) => d.reason)).toEqual(['no-change', 'shown', 'no-change', 'no-change', 'repeat', 'shown']);
  });

  it('nothing while notifications are off or the window is focused; the streak is still tracked', () => {
    expect(sequence([authFailure(), completed()], { ...background, enabled: false }).map((d) => [d.reason, d.notice])).toEqual([
      ['disabled', null],
      ['disabled', null],
    ]);
    const focused = sequence([authFailure()], { ...background, windowFocused: true });
    expect(focused[0]!.reason).toBe('focused');
    // Seen in the window: the same failure later, unfocused, stays quiet; its recovery is told.
    expect(sequence([authFailure(), completed()], background, focused[0]!.state).map((d) => d.reason)).toEqual(['repeat', 'shown']);
  });

  it('a failure from before a restart: its repeat stays quiet, its recovery is told', () => {
    const start = { streak: streakAfter(authFailure(), INSTANCES) };
    expect(start.streak).toEqual({ signature: 'acme:Authentication', failures: 1 });
    expect(sequence([authFailure(), completed()], background, start).map((d) => d.reason)).toEqual(['repeat', 'shown']);
    expect(streakAfter(completed(), INSTANCES)).toBeNull();
  });

  it('the signature compares what failed and how, not the wording', () => {
    const a = run(
      'partial',
      [project('acme', 'WEB', 'failed', 'Server', 'HTTP 503 after 5 retries'), project('demo', 'OPS', 'completed')],
      {
        category: 'Server',
        message: 'acme/WEB: HTTP 503 after 5 retries',
      },
    );
    expect(failureSignature(a, INSTANCES)).toBe('acme/WEB:Server');
    expect(failureSignature(run('failed', [], { category: 'Network', message: 'getaddrinfo ENOTFOUND' }), INSTANCES)).toBe('*:Network');
  });
});

describe('scheduled syncs that cannot start', () => {
  it('are told once per distinct reason, without a run to open', () => {
    const reason = 'instance "acme" reads its token from the environment variable JIRA_TOKEN, which is not set';
    expect(decideOnScheduleError(null, reason, background)).toEqual({
      kind: 'start-failed',
      title: 'Scheduled sync could not start',
      body: reason,
      runId: null,
    });
    expect(decideOnScheduleError(reason, reason, background)).toBeNull();
    expect(decideOnScheduleError(reason, null, background)).toBeNull();
    expect(decideOnScheduleError(null, reason, { ...background, enabled: false })).toBeNull();
  });
});
