import { describe, expect, it } from 'vitest';
import { compileJql, JqlError, parseJql, type IssueView, type JqlEnv } from '../../src/simulator/jql.ts';
import { formatJiraTimestamp, localToEpoch, tzOffsetMs } from '../../src/simulator/time.ts';

// Projects: 0 = ABC (id 10000, "Alpha Beta"), 1 = XYZ (id 10001), 2 = SECRET (no permission), HIDDEN does not resolve.
const PROJECTS = ['ABC', 'XYZ', 'SECRET'];
const NOW = Date.UTC(2024, 0, 15, 12, 0, 0); // 2024-01-15 17:30 in Asia/Kolkata, 07:00 in New York

function env(now = NOW, userTimeZone = 'Asia/Kolkata', dateResolutionMs = 1): JqlEnv {
  return {
    now,
    userTimeZone,
    dateResolutionMs,
    findProject: (v) => {
      const up = v.toUpperCase();
      if (up === 'SECRET') return 'forbidden';
      const i = PROJECTS.indexOf(up);
      if (i >= 0) return { idx: i };
      if (v.toLowerCase() === 'alpha beta' || v === '10000') return { idx: 0 };
      return null;
    },
    projectKey: (i) => PROJECTS[i] ?? '',
    findProjectByKey: (k) => (['ABC', 'XYZ'].includes(k.toUpperCase()) ? PROJECTS.indexOf(k.toUpperCase()) : null),
    issueIdByKey: (k) => ({ 'ABC-1': 1, 'ABC-2': 2, 'XYZ-1': 3 })[k] ?? null,
    issueIdExists: (id) => id >= 1 && id <= 4,
    attr: () => [],
    knownValues: () => new Set(['done', 'to do']),
    currentUser: ['me'],
    text: () => 'Fix the login timeout',
  };
}

const issue = (id: number, p: number, n: number, c: number, u: number): IssueView => ({ id, p, n, c, u });

function matcher(jql: string, e = env()) {
  const q = compileJql(parseJql(jql), e);
  return (v: IssueView) => q.match(v);
}

function errorOf(fn: () => unknown): JqlError {
  try {
    fn();
  } catch (e) {
    if (e instanceof JqlError) return e;
    throw e;
  }
  throw new Error('expected a JqlError');
}

describe('JQL parser', () => {
  it('parses clauses, lists, precedence and ORDER BY, case-insensitively', () => {
    const text = 'Project in (ABC, "XYZ") and UPDATED >= -5d or not key = ABC-1 order by Updated asc, KEY Desc';
    const q = parseJql(text);
    expect(q.where?.kind).toBe('or');
    if (q.where?.kind !== 'or') throw new Error();
    expect(q.where.children[0]?.kind).toBe('and');
    expect(q.where.children[1]?.kind).toBe('not');
    expect(q.orderBy).toEqual([
      { field: 'Updated', dir: 'asc', pos: text.indexOf('Updated') },
      { field: 'KEY', dir: 'desc', pos: text.indexOf('KEY') },
    ]);
  });

  it('handles parentheses, quotes with escapes and && / ||', () => {
    const q = parseJql(`(project = 'A\\'B' || project = "C") && id > 5`);
    expect(q.where?.kind).toBe('and');
    const only = parseJql('ORDER BY created');
    expect(only.where).toBeNull();
    expect(parseJql('').where).toBeNull();
  });

  it('reports syntax errors like Jira', () => {
    expect(errorOf(() => parseJql('project ABC')).message).toBe(
      "Error in the JQL Query: Expecting operator but got 'ABC'. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'. (line 1, character 9)",
    );
    expect(errorOf(() => parseJql('project = ')).message).toBe(
      'Error in the JQL Query: Expecting either a value, list or function but got end of query.',
    );
    expect(errorOf(() => parseJql('project = ABC foo')).message).toBe(
      "Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'foo'. (line 1, character 15)",
    );
    expect(errorOf(() => parseJql('project = "ABC')).message).toMatch(/has not been completed/);
    expect(errorOf(() => parseJql('project = A%B')).message).toMatch(/The character '%' is a reserved JQL character/);
    expect(errorOf(() => parseJql('(project = ABC')).message).toBe("Error in the JQL Query: Expecting ')' but got end of query.");
    expect(errorOf(() => parseJql('project = ABC ORDER updated')).status).toBe(400);
  });
});

describe('JQL evaluation', () => {
  it('matches project by key, name and id; unknown → 400; no permission → 403', () => {
    const m = matcher('project = abc');
    expect(m(issue(1, 0, 1, 0, 0))).toBe(true);
    expect(m(issue(3, 1, 1, 0, 0))).toBe(false);
    expect(matcher('project = "Alpha Beta"')(issue(1, 0, 1, 0, 0))).toBe(true);
    expect(matcher('project = 10000')(issue(1, 0, 1, 0, 0))).toBe(true);
    expect(matcher('project not in (ABC)')(issue(3, 1, 1, 0, 0))).toBe(true);
    const e = errorOf(() => compileJql(parseJql('project = HIDDEN'), env()));
    expect(e.status).toBe(400);
    expect(e.message).toBe("The value 'HIDDEN' does not exist for the field 'project'.");
    expect(errorOf(() => compileJql(parseJql('project in (ABC, SECRET)'), env())).status).toBe(403);
  });

  it('narrows candidate projects through AND / OR', () => {
    expect([...(compileJql(parseJql('project = ABC AND updated > 0'), env()).projects ?? [])]).toEqual([0]);
    expect([...(compileJql(parseJql('project = ABC OR project = XYZ'), env()).projects ?? [])]).toEqual([0, 1]);
    expect(compileJql(parseJql('project = ABC OR updated > 0'), env()).projects).toBeNull();
    expect(compileJql(parseJql('NOT project = ABC'), env()).projects).toBeNull();
  });

  it('reads date literals in the USER time zone at minute precision', () => {
    // NOW is 17:30 in Kolkata (+05:30): the same wall time in New York would be 10.5 h later.
    const at = issue(1, 0, 1, NOW, NOW);
    expect(matcher('updated >= "2024/01/15 17:30"')(at)).toBe(true);
    expect(matcher('updated >= "2024-01-15 17:31"')(at)).toBe(false);
    expect(matcher('updated = "2024-01-15 17:30"')(issue(1, 0, 1, 0, NOW + 59_999))).toBe(true);
    expect(matcher('updated = "2024-01-15 17:30"')(issue(1, 0, 1, 0, NOW + 60_000))).toBe(false);
    expect(matcher('updated < "2024-01-15 17:30"')(at)).toBe(false);
    expect(matcher('updated <= "2024-01-15 17:30"')(at)).toBe(true);
    // The same literal read in the site zone (New York) is a different instant.
    const ny = env(NOW, 'America/New_York');
    expect(matcher('updated >= "2024-01-15 17:30"', ny)(at)).toBe(false);
    expect(matcher('updated >= "2024-01-15 07:00"', ny)(at)).toBe(true);
    // Date-only literals mean local midnight.
    expect(matcher('created >= "2024-01-15"')(issue(1, 0, 1, Date.UTC(2024, 0, 14, 18, 30), 0))).toBe(true);
    expect(matcher('created >= "2024/01/15"')(issue(1, 0, 1, Date.UTC(2024, 0, 14, 18, 29, 59, 999), 0))).toBe(false);
  });

  it('reads an all-digit value as epoch milliseconds', () => {
    const at = issue(1, 0, 1, NOW, NOW);
    expect(matcher(`updated >= ${NOW}`)(at)).toBe(true);
    expect(matcher(`updated > ${NOW}`)(at)).toBe(false);
    expect(matcher(`updated = ${NOW}`)(at)).toBe(true);
    expect(matcher(`updated = ${NOW + 1}`)(at)).toBe(false);
    expect(compileJql(parseJql(`updated >= ${NOW}`), env()).cacheable).toBe(true);
  });

  it('at minute resolution, compares and sorts each issue by its minute; literals keep their milliseconds', () => {
    const minutes = env(NOW, 'Asia/Kolkata', 60_000);
    // 12:00:59.999 is indexed as 12:00:00.000.
    const late = issue(1, 0, 1, NOW, NOW + 59_999);
    expect(matcher(`updated >= ${NOW}`, minutes)(late)).toBe(true);
    expect(matcher(`updated >= ${NOW + 1}`, minutes)(late)).toBe(false);
    expect(matcher(`updated >= ${NOW + 1}`)(late)).toBe(true);
    expect(matcher(`updated < ${NOW + 1}`, minutes)(late)).toBe(true);
    expect(matcher(`updated < ${NOW}`, minutes)(late)).toBe(false);
    expect(matcher(`updated = ${NOW}`, minutes)(late)).toBe(true);
    // Minute-aligned literals mean the same at both resolutions.
    for (const e of [env(), minutes]) {
      expect(matcher(`updated >= ${NOW + 60_000}`, e)(late)).toBe(false);
      expect(matcher(`updated < ${NOW + 60_000}`, e)(late)).toBe(true);
    }
    // Within a minute the order falls to the next sort field (key), not the milliseconds.
    const views = [issue(2, 0, 2, NOW, NOW + 10), issue(3, 0, 1, NOW, NOW + 20_000), issue(4, 0, 3, NOW, NOW + 60_000)];
    const q = compileJql(parseJql('project = ABC ORDER BY updated ASC, key ASC'), minutes);
    expect([...views].sort((x, y) => q.compareKeys(q.sortKey(x), q.sortKey(y))).map((v) => v.id)).toEqual([3, 2, 4]);
  });

  it('evaluates relative periods against the clock', () => {
    const e = env();
    const q = compileJql(parseJql('updated >= -5d AND created > "-4w 2d" AND updated < -15m AND updated > -1h'), e);
    expect(q.cacheable).toBe(false);
    expect(q.match(issue(1, 0, 1, NOW - 29 * 86_400_000, NOW - 20 * 60_000))).toBe(true);
    expect(q.match(issue(1, 0, 1, NOW - 31 * 86_400_000, NOW - 20 * 60_000))).toBe(false);
    expect(q.match(issue(1, 0, 1, NOW - 29 * 86_400_000, NOW - 10 * 60_000))).toBe(false);
    expect(matcher('updated >= -2w')(issue(1, 0, 1, 0, NOW - 14 * 86_400_000))).toBe(true);
    expect(matcher('updated >= now()')(issue(1, 0, 1, 0, NOW))).toBe(true);
  });

  it('rejects invalid dates, unknown fields and unsupported operators', () => {
    expect(errorOf(() => compileJql(parseJql('updated > "2024/13/01"'), env())).message).toBe(
      "Date value '2024/13/01' for field 'updated' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.",
    );
    expect(errorOf(() => compileJql(parseJql('foo = 1'), env())).message).toBe(
      "Field 'foo' does not exist or you do not have permission to view it.",
    );
    expect(errorOf(() => compileJql(parseJql('project > ABC'), env())).message).toBe(
      "The operator '>' is not supported by the 'project' field.",
    );
  });

  it('compares keys within a project and validates issue keys', () => {
    expect(matcher('key > ABC-10')(issue(9, 0, 11, 0, 0))).toBe(true);
    expect(matcher('key > ABC-10')(issue(9, 0, 10, 0, 0))).toBe(false);
    expect(matcher('key > ABC-10')(issue(9, 1, 11, 0, 0))).toBe(false);
    expect(matcher('issuekey <= ABC-10')(issue(9, 0, 2, 0, 0))).toBe(true);
    expect(matcher('key in (ABC-1, XYZ-1)')(issue(3, 1, 1, 0, 0))).toBe(true);
    expect(matcher('key = abc-2')(issue(2, 0, 2, 0, 0))).toBe(true);
    expect(matcher('id = 2')(issue(2, 0, 2, 0, 0))).toBe(true);
    expect(matcher('id > 2')(issue(3, 0, 2, 0, 0))).toBe(true);
    expect(errorOf(() => compileJql(parseJql('key = ABC-99'), env())).message).toBe(
      "An issue with key 'ABC-99' does not exist for field 'key'.",
    );
    expect(errorOf(() => compileJql(parseJql('key = nonsense'), env())).message).toBe(
      "The issue key 'nonsense' for field 'key' is invalid.",
    );
  });

  it('applies AND before OR, NOT and parentheses', () => {
    const a = issue(1, 0, 1, 100, 100);
    const b = issue(3, 1, 1, 100, 5000);
    const m = matcher('project = XYZ AND updated > 1000 OR project = ABC');
    expect(m(a)).toBe(true);
    expect(m(b)).toBe(true);
    const m2 = matcher('project = XYZ AND (updated > 1000000 OR project = ABC)');
    expect(m2(b)).toBe(false);
    expect(matcher('NOT project = ABC')(a)).toBe(false);
    expect(matcher('! (project = ABC)')(b)).toBe(true);
  });

  it('orders by the given fields with an id tiebreak; default created DESC; at most 7 fields', () => {
    const e = env();
    const views = [issue(5, 1, 2, 30, 300), issue(4, 0, 10, 20, 300), issue(3, 0, 9, 10, 100), issue(6, 0, 2, 40, 200)];
    const sortBy = (jql: string) => {
      const q = compileJql(parseJql(jql), e);
      return [...views].sort((x, y) => q.compareKeys(q.sortKey(x), q.sortKey(y))).map((v) => v.id);
    };
    expect(sortBy('project in (ABC, XYZ) ORDER BY updated ASC')).toEqual([3, 6, 4, 5]);
    expect(sortBy('project in (ABC, XYZ) ORDER BY updated DESC, key ASC')).toEqual([4, 5, 6, 3]);
    expect(sortBy('project in (ABC, XYZ) ORDER BY key')).toEqual([6, 3, 4, 5]);
    expect(sortBy('project in (ABC, XYZ)')).toEqual([6, 5, 4, 3]);
    expect(
      errorOf(() => compileJql(parseJql('ORDER BY updated, created, key, id, project, rank, createdDate, updatedDate'), e)).message,
    ).toBe('The ORDER BY clause may contain at most 7 fields.');
    expect(errorOf(() => compileJql(parseJql('ORDER BY updated, updated'), e)).message).toMatch(/specified multiple times/);
    expect(compileJql(parseJql('ORDER BY updated'), e).bounded).toBe(false);
  });
});

describe('time zones', () => {
  it('formats Jira timestamps with ms and a colon-less offset, DST-aware', () => {
    expect(formatJiraTimestamp(Date.UTC(2022, 2, 20, 0, 51, 50, 295), 'Asia/Kolkata')).toBe('2022-03-20T06:21:50.295+0530');
    expect(formatJiraTimestamp(Date.UTC(2024, 0, 15, 12, 0, 0, 7), 'America/New_York')).toBe('2024-01-15T07:00:00.007-0500');
    expect(formatJiraTimestamp(Date.UTC(2024, 6, 15, 12, 0, 0, 0), 'America/New_York')).toBe('2024-07-15T08:00:00.000-0400');
    expect(formatJiraTimestamp(Date.UTC(2024, 6, 15, 12, 0, 0, 0), 'Asia/Kathmandu')).toBe('2024-07-15T17:45:00.000+0545');
    // Across the 2024-03-10 spring-forward in New York (07:00 UTC).
    expect(formatJiraTimestamp(Date.UTC(2024, 2, 10, 6, 59, 59, 999), 'America/New_York')).toBe('2024-03-10T01:59:59.999-0500');
    expect(formatJiraTimestamp(Date.UTC(2024, 2, 10, 7, 0, 0, 0), 'America/New_York')).toBe('2024-03-10T03:00:00.000-0400');
  });

  it('converts local wall time to instants', () => {
    expect(localToEpoch(2024, 1, 15, 17, 30, 'Asia/Kolkata')).toBe(NOW);
    expect(localToEpoch(2024, 7, 1, 0, 0, 'America/New_York')).toBe(Date.UTC(2024, 6, 1, 4, 0));
    expect(tzOffsetMs(NOW, 'UTC')).toBe(0);
  });
});
