import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SyncError } from '../../src/engine/errors.ts';
import { parseSearchPage } from '../../src/engine/parsePage.ts';
import { skipValue } from '../../src/engine/jsonBytes.ts';
import { scanSearchPage } from '../../src/engine/scanPage.ts';

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

function issue(n: number, fields: Record<string, unknown> = {}) {
  return {
    expand: 'renderedFields,names',
    id: String(10_000 + n),
    self: `https://x.example/rest/api/3/issue/${10_000 + n}`,
    key: `P-${n}`,
    fields: {
      summary: `Issue ${n}`,
      updated: '2026-03-20T06:21:50.295+0530',
      created: '2026-03-01T00:00:00.000-0800',
      status: {
        self: 'https://x',
        description: '',
        name: 'In Progress',
        id: '3',
        statusCategory: { id: 4, key: 'indeterminate', name: 'In Progress' },
      },
      issuetype: { id: '10001', name: 'Bug', subtask: false },
      priority: { name: 'High', id: '2' },
      assignee: { accountId: 'a1', displayName: 'Zoë Ångström', active: true, avatarUrls: { '48x48': 'https://a/48' } },
      reporter: { name: 'jdoe', key: 'jdoe', displayName: null },
      resolution: null,
      labels: ['backend', 'ü-ber'],
      project: { id: '1', key: 'P', name: 'Project P', projectCategory: { key: 'NOPE' } },
      comment: { comments: [{ id: '1', updated: '2030-01-01T00:00:00.000+0000', body: 'later' }], total: 1 },
      parent: { id: '9', key: 'P-9', fields: { summary: 'a parent, not this issue', updated: '2001-01-01T00:00:00.000+0000' } },
      lastViewed: null,
      description: {
        type: 'doc',
        version: 1,
        content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Steps: \u201cclick\u201d' }] }],
      },
      customfield_10000: { hasEpicLinkFieldDependency: false, nonEditableReason: { reason: 'x', message: 'y' } },
      timespent: 3600,
      workratio: -1,
      ...fields,
    },
  };
}

describe('scanning a search page from its bytes', () => {
  it('finds each issue, its exact bytes and the values of the mirror columns, ignoring look-alikes deeper down', () => {
    const issues = [issue(1), issue(2, { summary: 'Quotes \\"escaped\\" and \\u00e9', labels: [] })];
    const text = JSON.stringify({ issues, nextPageToken: 'tok-1', isLast: false });
    const page = scanSearchPage(bytes(text));
    expect(page).toMatchObject({ nextPageToken: 'tok-1', isLast: false, total: undefined });
    expect(page.issues).toHaveLength(2);
    const [first, second] = page.issues;
    expect(first).toMatchObject({
      id: '10001',
      key: 'P-1',
      summary: 'Issue 1',
      status: 'In Progress',
      statusCategory: 'indeterminate',
      issueType: 'Bug',
      priority: 'High',
      assignee: 'Zoë Ångström',
      reporter: 'jdoe',
      resolution: null,
      projectKey: 'P',
      labels: '["backend","ü-ber"]',
      updatedMs: Date.parse('2026-03-20T00:51:50.295Z'),
      createdMs: Date.parse('2026-03-01T08:00:00.000Z'),
    });
    const all = Buffer.from(text);
    expect(JSON.parse(all.subarray(first!.start, first!.end).toString())).toEqual(issues[0]);
    expect(JSON.parse(all.subarray(second!.start, second!.end).toString())).toEqual(issues[1]);
    expect(second!.summary).toBe('Quotes \\"escaped\\" and \\u00e9');
    expect(all.subarray(first!.lastViewed!.start, first!.lastViewed!.end).toString()).toBe('null');
  });

  it('reads what the old parser read: Data Center envelopes, user names, odd timestamps, non-string labels', () => {
    const dc = issue(3, {
      updated: '2026-03-20T06:21:50+0530',
      assignee: { name: 'bob', key: 'JIRAUSER1' },
      labels: ['ok', 7, null],
      description: 'wiki *markup*',
      project: { key: 'P' },
    });
    const page = scanSearchPage(bytes(JSON.stringify({ expand: 'schema,names', startAt: 0, maxResults: 50, total: 1, issues: [dc] })));
    expect(page.total).toBe(1);
    expect(page.issues[0]).toMatchObject({
      assignee: 'bob',
      labels: '["ok"]',
      updatedMs: Date.parse('2026-03-20T00:51:50.000Z'),
    });
  });

  it('accepts whitespace anywhere JSON allows it', () => {
    const spaced = JSON.stringify({ issues: [issue(4)], isLast: true }, null, 2).replace(/\n/g, '\r\n\t');
    const page = scanSearchPage(bytes(spaced));
    expect(page.issues.map((i) => i.key)).toEqual(['P-4']);
    expect(page.isLast).toBe(true);
  });

  it('rejects a malformed issue with its reason, not as bad JSON (no retry)', () => {
    const cases: Array<[unknown, string]> = [
      [{ issues: [issue(1), { id: 'x', key: 'P-2', fields: {} }] }, 'issue #2 of the page has no numeric id'],
      [{ issues: [{ ...issue(1), key: 'lower-1' }] }, 'issue #1 of the page (id 10001) has no valid key'],
      [{ issues: [{ id: '1', key: 'P-1' }] }, 'P-1 has no fields'],
      [{ issues: [issue(1, { updated: 'yesterday' })] }, 'P-1 has no valid "updated" time'],
      [{ issues: [issue(1), 'P-2'] }, 'issue #2 of the page is not an object'],
      [{ issues: null }, '"issues" is not a list'],
      [{ nextPageToken: 'x' }, '"issues" is not a list'],
    ];
    for (const [body, message] of cases) {
      const error = (() => {
        try {
          scanSearchPage(bytes(JSON.stringify(body)));
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(error).toBeInstanceOf(SyncError);
      expect(error).toMatchObject({ category: 'Validation', retryable: false, message: `Jira sent a malformed search page: ${message}` });
    }
  });

  it('rejects exactly what JSON.parse rejects, for thousands of corrupted pages (retryable)', () => {
    const valid = JSON.stringify({ issues: [issue(1), issue(2)], nextPageToken: 'a', isLast: false });
    const validBytes = Buffer.from(valid);
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = '{}[]":,\\ 0123456789-+.eEtrufalsn\u0001\t\nx\u00e9';
    let rejected = 0;
    for (let round = 0; round < 3000; round++) {
      const chars = [...valid];
      const edits = 1 + Math.floor(random() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(random() * chars.length);
        const op = random();
        const c = alphabet[Math.floor(random() * alphabet.length)]!;
        if (op < 0.4) chars[at] = c;
        else if (op < 0.7) chars.splice(at, 1);
        else chars.splice(at, 0, c);
      }
      const text = chars.join('');
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }
      const end = (() => {
        try {
          return skipValue(bytes(text.trim()), 0, bytes(text.trim()).length);
        } catch {
          return -1;
        }
      })();
      const whole = end === bytes(text.trim()).length;
      expect({ text, accepted: whole }).toEqual({ text, accepted: parses });
      if (!parses) {
        rejected += 1;
        expect(() => scanSearchPage(bytes(text))).toThrow(SyncError);
        try {
          scanSearchPage(bytes(text));
        } catch (error) {
          expect(error).toMatchObject({ category: 'Validation', retryable: true });
        }
      }
    }
    expect(rejected).toBeGreaterThan(1500);
    // Cut short anywhere: never accepted.
    for (let cut = 1; cut < validBytes.length; cut += 97) {
      expect(() => scanSearchPage(new Uint8Array(validBytes.subarray(0, cut)))).toThrow(/not valid JSON/);
    }
  });

  it('rejects bytes that are not UTF-8 as a retryable bad response', () => {
    const body = Buffer.from(JSON.stringify({ issues: [issue(1)] }));
    body[body.indexOf('Issue 1') + 2] = 0xff;
    expect(() => scanSearchPage(new Uint8Array(body))).toThrow(expect.objectContaining({ category: 'Validation', retryable: true }));
  });
});

describe('store-ready issues', () => {
  it('keep the original bytes, hash them without lastViewed, and give the description as text', () => {
    const seen = issue(1, { lastViewed: '2026-11-30T10:00:00.000+0000' });
    const page = parseSearchPage(bytes(JSON.stringify({ issues: [issue(1), seen, issue(1, { summary: 'changed' })] })));
    const [plain, viewed, changed] = page.issues;
    expect(Buffer.from(plain!.raw).toString()).toBe(JSON.stringify(issue(1)));
    expect(viewed!.contentHash).toBe(plain!.contentHash);
    expect(changed!.contentHash).not.toBe(plain!.contentHash);
    const withoutValue = JSON.stringify(issue(1)).replace('"lastViewed":null', '"lastViewed":');
    expect(plain!.contentHash).toBe(createHash('sha1').update(withoutValue).digest('base64url'));
    expect(plain!.description).toBe('Steps: \u201cclick\u201d');
    expect(plain).toMatchObject({ projectKey: 'P', created: '2026-03-01T08:00:00.000Z', labels: '["backend","ü-ber"]' });
  });
});
