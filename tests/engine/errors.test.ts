import { describe, expect, it } from 'vitest';
import { categoryForStatus, isRetryableStatus, redact, toSyncError } from '../../src/engine/errors.ts';

describe('failure categories', () => {
  it('maps every HTTP status a user can act on to its category', () => {
    expect([400, 401, 403, 404, 408, 409, 429, 500, 502, 503, 504].map((s) => [s, categoryForStatus(s)])).toEqual([
      [400, 'Validation'],
      [401, 'Authentication'],
      [403, 'Authorization'],
      [404, 'Validation'],
      [408, 'Timeout'],
      [409, 'Validation'],
      [429, 'RateLimit'],
      [500, 'Server'],
      [502, 'Server'],
      [503, 'Server'],
      [504, 'Timeout'],
    ]);
  });

  it('retries only 429, 502, 503 and 504', () => {
    expect([400, 401, 403, 404, 429, 500, 502, 503, 504].filter(isRetryableStatus)).toEqual([429, 502, 503, 504]);
  });

  it('classifies thrown errors', () => {
    expect(toSyncError(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' })).category).toBe('Database');
    expect(toSyncError(new DOMException('aborted', 'AbortError')).category).toBe('Cancelled');
    expect(toSyncError(new Error('socket hang up'))).toMatchObject({ category: 'Network', retryable: true });
  });
});

describe('redact', () => {
  const token = 'ATATT3xFfGF0secretToken123';
  const basic = Buffer.from(`me@example.com:${token}`).toString('base64');
  it('removes known secrets, Authorization headers, URL credentials and token parameters', () => {
    const text = [
      `token ${token} leaked`,
      `Authorization: Basic ${basic}`,
      `authorization="Bearer abcdefghijklmnopqrstuvwxyz012345"`,
      'https://me:hunter22@acme.atlassian.net/rest',
      'GET /x?token=abc123&api_key=zzz&page=2',
    ].join('\n');
    const clean = redact(text, [token, basic]);
    expect(clean).toBe(
      [
        'token [redacted] leaked',
        'Authorization: Basic [redacted]',
        'authorization="Bearer [redacted]"',
        'https://[redacted]@acme.atlassian.net/rest',
        'GET /x?token=[redacted]&api_key=[redacted]&page=2',
      ].join('\n'),
    );
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-28T12:00:00Z');
  it('reads Retry-After in seconds or as an HTTP date, else X-RateLimit-Reset, else nothing', async () => {
    const { retryAfterMs } = await import('../../src/engine/http.ts');
    expect(retryAfterMs(new Headers({ 'Retry-After': '7' }), now)).toBe(7000);
    expect(retryAfterMs(new Headers({ 'Retry-After': 'Sat, 28 Nov 2026 12:00:30 GMT' }), now)).toBe(30_000);
    expect(retryAfterMs(new Headers({ 'X-RateLimit-Reset': '2026-11-28T12:01:00Z' }), now)).toBe(60_000);
    expect(retryAfterMs(new Headers({ 'Retry-After': 'Sat, 28 Nov 2026 11:00:00 GMT' }), now)).toBe(0);
    expect(retryAfterMs(new Headers(), now)).toBe(0);
  });
});
