import { describe, expect, it } from 'vitest';
import { historyQuery, historyState, trendQuery } from '../../src/renderer/views/history/historyParams.ts';
import { issueSearch, selectedIssue } from '../../src/renderer/views/issues/issueParams.ts';
import { groupErrors, metricSeries, sortProjects } from '../../src/renderer/views/run/runDetailModel.ts';
import { changedKeys, fieldErrors, fromDraft, toDraft } from '../../src/renderer/views/settings/settingsModel.ts';
import type { ProjectDetail } from '../../src/shared/model.ts';
import { DEFAULT_PERFORMANCE_CONFIG } from '../../src/shared/performanceSettings.ts';

describe('history state from the URL', () => {
  it('reads filters, sort and page into the contract query, ignoring what is invalid', () => {
    const state = historyState({
      status: 'failed',
      by: 'cli',
      instance: 'acme',
      sort: 'durationMs',
      order: 'asc',
      page: '2',
      from: '2026-11-01',
      to: 'soon',
    });
    expect(historyQuery(state)).toEqual({
      status: 'failed',
      initiatedBy: 'cli',
      instance: 'acme',
      from: new Date(2026, 10, 1).toISOString(),
      sort: 'durationMs',
      order: 'asc',
      limit: 25,
      offset: 50,
    });
    expect(historyState({ status: 'exploded', sort: 'name' })).toMatchObject({
      filter: {},
      sort: 'startedAt',
      order: 'desc',
      filtered: false,
    });
    expect(historyState({ from: '2026-11-05', to: '2026-11-01' }).rangeError).toBe('The “from” date is after the “to” date.');
  });

  it('charts the chosen range, or the last 30 days, with the same filters', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    const last30 = trendQuery(historyState({ status: 'failed' }), now, 60);
    expect(last30).toEqual({ status: 'failed', from: '2026-10-30T12:00:00.000Z', to: '2026-11-28T12:00:00.000Z', utcOffsetMinutes: 60 });
    const ranged = trendQuery(historyState({ from: '2026-11-01', to: '2026-11-03' }), now, 0);
    expect(ranged.from).toBe(new Date(2026, 10, 1).toISOString());
    expect(ranged.to).toBe(new Date(new Date(2026, 10, 4).getTime() - 1).toISOString());
  });
});

describe('issue browser state from the URL', () => {
  it('maps params to the search input; "~none" is the unassigned filter', () => {
    expect(
      issueSearch({ q: '  checkout ', project: 'DEMO', type: 'Bug', assignee: '~none', page: '1', sort: 'key', order: 'asc' }),
    ).toEqual({
      text: 'checkout',
      project: 'DEMO',
      issueType: 'Bug',
      assignee: '',
      sort: 'key',
      order: 'asc',
      limit: 50,
      offset: 50,
    });
    expect(issueSearch({ q: '   ', sort: 'bogus' })).toEqual({ limit: 50, offset: 0, order: 'desc' });
    expect(selectedIssue({ issue: 'my.instance:10042' })).toEqual({ instance: 'my.instance', id: '10042' });
    expect(selectedIssue({ issue: 'acme:abc' })).toBeNull();
  });
});

const project = (key: string, patch: Partial<ProjectDetail>): ProjectDetail => ({
  instance: 'acme',
  projectKey: key,
  status: 'completed',
  startedAt: '2026-11-28T12:00:00.000Z',
  completedAt: null,
  durationMs: 1000,
  issuesProcessed: 10,
  issuesCreated: 0,
  issuesUpdated: 0,
  issuesUnchanged: 10,
  issuesDeleted: 0,
  errorMessage: null,
  errorCategory: null,
  apiCalls: 1,
  retries: 0,
  rateLimited: 0,
  pages: 1,
  latencyP50Ms: null,
  latencyP95Ms: null,
  latencyMaxMs: null,
  waitMs: null,
  parseMs: null,
  writeMs: null,
  verification: null,
  ...patch,
});

describe('run detail', () => {
  it('groups failures by category with what to do next, the run-level error included once', () => {
    const groups = groupErrors({
      status: 'partial',
      errorCategory: 'Timeout',
      errorMessage: 'acme/B: the project took longer than project_timeout (60 s) (and 2 more failures)',
      projects: [
        project('A', { status: 'failed', errorCategory: 'RateLimit', errorMessage: 'Jira rate limit' }),
        project('B', { status: 'failed', errorCategory: 'Timeout', errorMessage: 'the project took longer than project_timeout (60 s)' }),
        project('C', { status: 'failed', errorCategory: 'Timeout', errorMessage: 'no response from /search within 60 s' }),
        project('D', {}),
      ],
    });
    expect(groups.map((g) => [g.category, g.failures.map((f) => f.scope)])).toEqual([
      ['Timeout', ['acme/B', 'acme/C']],
      ['RateLimit', ['acme/A']],
    ]);
    expect(groups[0]!.advice).toContain('request_timeout');
    const authFailure = groupErrors({
      status: 'failed',
      errorCategory: 'Authentication',
      errorMessage: 'acme: HTTP 401 from /rest/api/3/myself',
      projects: [],
    });
    expect(authFailure).toEqual([
      {
        category: 'Authentication',
        advice: expect.stringContaining('new API token'),
        failures: [{ scope: 'Whole run', message: 'acme: HTTP 401 from /rest/api/3/myself' }],
      },
    ]);
  });

  it('aligns the run-wide metric samples by instant, in milliseconds since the start', () => {
    const at = (s: number) => new Date(Date.parse('2026-11-28T12:00:00Z') + s * 1000).toISOString();
    const series = metricSeries(
      [
        { metric: 'issues_per_second', projectKey: null, recordedAt: at(1), value: 50 },
        { metric: 'rss_bytes', projectKey: null, recordedAt: at(1), value: 100 },
        { metric: 'issues_per_second', projectKey: null, recordedAt: at(1.45), value: 70 },
        { metric: 'api_latency_p50_ms', projectKey: null, recordedAt: at(1.45), value: 120 },
        { metric: 'issues_per_second', projectKey: 'A', recordedAt: at(3), value: 1 },
      ],
      at(0),
    );
    expect(series).toEqual({
      elapsedMs: [1000, 1450],
      values: { issues_per_second: [50, 70], rss_bytes: [100, null], api_latency_p50_ms: [null, 120] },
    });
  });

  it('sorts projects by any column, missing values last', () => {
    const projects = [project('A', { latencyP95Ms: 300 }), project('B', { latencyP95Ms: null }), project('C', { latencyP95Ms: 100 })];
    expect(sortProjects(projects, 'latencyP95Ms', 'asc').map((p) => p.projectKey)).toEqual(['C', 'A', 'B']);
    expect(sortProjects(projects, 'latencyP95Ms', 'desc').map((p) => p.projectKey)).toEqual(['A', 'C', 'B']);
    expect(sortProjects(projects, 'project', 'desc').map((p) => p.projectKey)).toEqual(['C', 'B', 'A']);
  });
});

describe('settings form model', () => {
  it('sends numbers as numbers and anything else as typed, so the back end names the problem', () => {
    const draft = { ...toDraft(DEFAULT_PERFORMANCE_CONFIG), maxWorkers: ' 12 ', backoffFactor: '.5', batchSize: 'lots', sweepEvery: '' };
    expect(fromDraft(draft)).toMatchObject({
      maxWorkers: 12,
      backoffFactor: 0.5,
      batchSize: 'lots',
      sweepEvery: '',
      connectionPoolBlock: true,
    });
    expect(changedKeys(draft, DEFAULT_PERFORMANCE_CONFIG)).toEqual(['batchSize', 'maxWorkers', 'backoffFactor', 'sweepEvery']);
    expect(fieldErrors({ 'config.maxWorkers': 'max_workers must be between 1 and 32 workers', probe: 'x' })).toEqual({
      maxWorkers: 'max_workers must be between 1 and 32 workers',
    });
  });
});
