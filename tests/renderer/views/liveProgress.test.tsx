// @vitest-environment jsdom
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveProgress } from '../../../src/renderer/components/LiveProgress.tsx';
import { LiveSyncProvider } from '../../../src/renderer/lib/liveSync.tsx';
import type { ProjectProgress, Run } from '../../../src/shared/model.ts';
import { installFakeApi, ok } from '../fakeApi.ts';

const fake = installFakeApi();
const RUN = '11111111-1111-4111-8111-111111111111';

const progress = (key: string, patch: Partial<ProjectProgress>): ProjectProgress => ({
  instance: 'acme',
  projectKey: key,
  status: 'running',
  pages: 1,
  issues: 0,
  expectedIssues: null,
  retries: 0,
  rateLimited: 0,
  issuesPerSecond: 0,
  etaSeconds: null,
  ...patch,
});

const run = (status: Run['status']): Run => ({
  id: RUN,
  status,
  initiatedBy: 'app',
  startedAt: '2026-11-28T12:00:00.000Z',
  completedAt: null,
  durationMs: null,
  totalProjects: 2,
  successfulProjects: 0,
  failedProjects: 0,
  totalIssues: 40,
  issuesCreated: 40,
  issuesUpdated: 0,
  issuesUnchanged: 0,
  issuesDeleted: 0,
  errorMessage: null,
  errorCategory: null,
});

beforeEach(() => {
  fake.reset();
  fake.respond('getActiveSync', { runId: RUN });
  fake.handle('stopSync', () => ok({ stopped: true }));
});
afterEach(cleanup);

describe('live progress', () => {
  it('shows one bar per project, rates, retries and 429s as they arrive, and stops the run', async () => {
    const user = userEvent.setup();
    render(
      <LiveSyncProvider>
        <LiveProgress />
      </LiveSyncProvider>,
    );
    await screen.findByTestId('live-progress');
    expect(screen.getByTestId('live-total').textContent).toBe('Connecting to Jira…');
    await act(async () =>
      fake.emit('syncProgress', {
        runId: RUN,
        projects: [
          progress('DEMO', { issues: 30, expectedIssues: 120, issuesPerSecond: 15, etaSeconds: 6, retries: 2, rateLimited: 1 }),
          progress('WEB', { issues: 10, expectedIssues: null, issuesPerSecond: 5 }),
        ],
      }),
    );
    const bars = screen.getAllByRole('progressbar');
    expect(bars.map((bar) => [bar.getAttribute('aria-label'), bar.getAttribute('aria-valuenow')])).toEqual([['DEMO progress', '25']]);
    expect(screen.getByTestId('live-total').textContent).toBe('40 issues so far');
    expect(screen.getByTestId('live-rate').textContent).toBe('20');
    expect(screen.getByTestId('live-retries').textContent).toBe('2');
    expect(screen.getByTestId('live-rate-limited').textContent).toBe('1');
    expect(screen.getAllByTestId('live-project').map((row) => row.textContent)).toEqual([
      expect.stringContaining('ETA 6.0 s · 2 retries · 1 × 429'),
      expect.stringContaining('total unknown'),
    ]);
    // Progress of another run is not this one's.
    await act(async () => fake.emit('syncProgress', { runId: 'other', projects: [progress('X', { issues: 999 })] }));
    expect(screen.getByTestId('live-total').textContent).toBe('40 issues so far');

    await user.click(screen.getByTestId('stop-sync'));
    expect(fake.calls.filter((c) => c.name === 'stopSync').map((c) => c.input)).toEqual([{ id: RUN }]);
    expect(screen.getByTestId('stop-sync').textContent).toBe('Stopping…');
    await act(async () => fake.emit('runUpdated', run('stopped')));
    await waitFor(() => expect(screen.queryByTestId('live-progress')).toBeNull());
    // A late "running" snapshot of the finished run does not bring it back.
    await act(async () => fake.emit('runUpdated', run('running')));
    expect(screen.queryByTestId('live-progress')).toBeNull();
  });
});
