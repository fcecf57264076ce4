// @vitest-environment jsdom
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useCall } from '../../src/renderer/api/useCall.ts';
import type { Result } from '../../src/shared/contract.ts';
import type { Run } from '../../src/shared/model.ts';
import { fail, installFakeApi, ok } from './fakeApi.ts';

const fake = installFakeApi();

function Probe({ status, throttleMs = 0 }: { status: 'completed' | 'failed'; throttleMs?: number }) {
  const runs = useCall('listRuns', { status }, { refreshOn: ['runUpdated'], throttleMs });
  return (
    <div>
      <span data-testid="total">{runs.data ? runs.data.total : 'none'}</span>
      <span data-testid="state">{`${runs.loading ? 'loading' : 'idle'}${runs.stale ? ' stale' : ''}`}</span>
      <span data-testid="error">{runs.error ?? ''}</span>
    </div>
  );
}

let answers: Record<string, Array<(value: Result<unknown>) => void>>;
beforeEach(() => {
  fake.reset();
  answers = { completed: [], failed: [] };
  fake.handle('listRuns', (input) => new Promise((resolve) => answers[(input as { status: string }).status]!.push(resolve)));
});
afterEach(cleanup);

const answer = (status: string, total: number) => act(async () => answers[status]!.shift()!(ok({ rows: [], total })));

describe('useCall, the one way views read', () => {
  it('keeps the previous answer on screen (marked stale) while a new input loads', async () => {
    const { rerender } = render(<Probe status="completed" />);
    expect(screen.getByTestId('state').textContent).toBe('loading stale');
    await waitFor(() => expect(answers.completed).toHaveLength(1));
    await answer('completed', 7);
    await waitFor(() => expect(screen.getByTestId('total').textContent).toBe('7'));
    expect(screen.getByTestId('state').textContent).toBe('idle');
    rerender(<Probe status="failed" />);
    expect(screen.getByTestId('total').textContent).toBe('7');
    expect(screen.getByTestId('state').textContent).toBe('loading stale');
    await waitFor(() => expect(answers.failed).toHaveLength(1));
    await answer('failed', 2);
    await waitFor(() => expect(screen.getByTestId('total').textContent).toBe('2'));
  });

  it('asks again when a push event arrives, and shows an error without losing the data', async () => {
    render(<Probe status="completed" />);
    await waitFor(() => expect(answers.completed).toHaveLength(1));
    await answer('completed', 1);
    await waitFor(() => expect(screen.getByTestId('total').textContent).toBe('1'));
    await act(async () => fake.emit('runUpdated', { id: 'r' } as Run));
    await waitFor(() => expect(answers.completed).toHaveLength(1));
    expect(screen.getByTestId('state').textContent).toBe('loading');
    await act(async () => answers.completed!.shift()!(fail({ code: 'UNAVAILABLE', message: 'The preview server is not reachable.' })));
    await waitFor(() => expect(screen.getByTestId('error').textContent).toBe('The preview server is not reachable.'));
    expect(screen.getByTestId('total').textContent).toBe('1');
  });

  it('throttles the updates of a running sync, but asks again at once when a run ends', async () => {
    render(<Probe status="completed" throttleMs={60_000} />);
    await waitFor(() => expect(answers.completed).toHaveLength(1));
    await answer('completed', 1);
    const asked = () => fake.calls.filter((call) => call.name === 'listRuns').length;
    // The first update refreshes at once; the next ones wait for the throttle (a minute here).
    await act(async () => fake.emit('runUpdated', { id: 'r', status: 'running' } as Run));
    await waitFor(() => expect(asked()).toBe(2));
    await answer('completed', 1);
    await act(async () => fake.emit('runUpdated', { id: 'r', status: 'running' } as Run));
    await act(async () => fake.emit('runUpdated', { id: 'r', status: 'running' } as Run));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(asked()).toBe(2);
    await act(async () => fake.emit('runUpdated', { id: 'r', status: 'completed' } as Run));
    await waitFor(() => expect(asked()).toBe(3));
    await answer('completed', 2);
    await waitFor(() => expect(screen.getByTestId('total').textContent).toBe('2'));
  });
});
