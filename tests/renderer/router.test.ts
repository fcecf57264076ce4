import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTE, formatRoute, intParam, oneOf, parseHash } from '../../src/renderer/lib/router.ts';

describe('hash routes', () => {
  it('reads the view, its segments and its params', () => {
    expect(parseHash('#/history?status=failed&page=2&instance=')).toEqual({
      view: 'history',
      segments: [],
      params: { status: 'failed', page: '2' },
    });
    expect(parseHash('#/runs/6f1c/metrics')).toEqual({ view: 'runs', segments: ['6f1c', 'metrics'], params: {} });
    expect(parseHash('#/issues?q=checkout%20fails')).toMatchObject({ params: { q: 'checkout fails' } });
    expect(parseHash('#/runs/%E0%A4%A')).toMatchObject({ segments: ['%E0%A4%A'] });
  });

  it('falls back to the dashboard for anything else', () => {
    expect(parseHash('')).toBe(DEFAULT_ROUTE);
    expect(parseHash('#main')).toBe(DEFAULT_ROUTE);
    expect(parseHash('#/admin')).toBe(DEFAULT_ROUTE);
  });

  it('writes routes with sorted, non-empty params, and reads them back', () => {
    const hash = formatRoute({ view: 'history', params: { to: '2026-11-30', status: 'failed', page: undefined, instance: '' } });
    expect(hash).toBe('#/history?status=failed&to=2026-11-30');
    expect(formatRoute({ view: 'runs', segments: ['a/b', 'errors'] })).toBe('#/runs/a%2Fb/errors');
    expect(parseHash(formatRoute({ view: 'issues', params: { q: 'a&b=c #1' } })).params.q).toBe('a&b=c #1');
  });

  it('accepts only valid whole numbers and listed values', () => {
    expect(intParam('3', 0)).toBe(3);
    expect(intParam('-3', 0)).toBe(0);
    expect(intParam('2.5', 7)).toBe(7);
    expect(intParam(undefined, 7)).toBe(7);
    expect(intParam('0', 7, 1)).toBe(7);
    expect(oneOf('asc', ['asc', 'desc'] as const, 'desc')).toBe('asc');
    expect(oneOf('sideways', ['asc', 'desc'] as const, 'desc')).toBe('desc');
    expect(oneOf('sideways', ['asc', 'desc'] as const)).toBeUndefined();
  });
});
