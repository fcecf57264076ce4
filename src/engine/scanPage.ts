/**
 * Reads a search response straight from its bytes: one pass validates the whole page as JSON and
 * notes where each issue starts and ends and where the few values the mirror's columns need are.
 * Nothing else is decoded, and no object is built for the ~60 fields the mirror keeps only as raw
 * JSON: each issue's stored text is its original bytes, and its content hash is taken over them.
 *
 * This is the sync's hot path (it replaced decoding the body to a string, JSON.parse, and
 * re-serializing and hashing every issue). The known outline (page → issues → issue → fields →
 * the few objects that matter) is read by small functions; every other value is validated by
 * `skipValue` (jsonBytes.ts), one flat loop with an explicit stack, which is where most bytes go.
 */
import { isUtf8 } from 'node:buffer';
import { SyncError } from './errors.ts';
import {
  CLOSE_BRACKET,
  COMMA,
  eachMember,
  keyIs,
  Malformed,
  malformed,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  skipValue,
  skipWs,
  stringAt,
  text,
} from './jsonBytes.ts';

/** A value's place in the page: [start, end) of its bytes. */
export interface Span {
  start: number;
  end: number;
}

/** One issue as found in the page: byte spans, plus the values the mirror's columns hold. */
export interface ScannedIssue {
  /** The whole issue object. */
  start: number;
  end: number;
  id: string;
  key: string;
  updatedMs: number;
  createdMs: number;
  summary: string;
  status: string | null;
  statusCategory: string | null;
  issueType: string | null;
  priority: string | null;
  assignee: string | null;
  reporter: string | null;
  resolution: string | null;
  projectKey: string | null;
  /** JSON text of the labels list (its strings), `[]` when absent. */
  labels: string;
  /** The description value (Cloud: an ADF object; Data Center: a wiki-markup string). */
  description: Span | null;
  /** The value of `lastViewed`, left out of the content hash: it changes when someone looks. */
  lastViewed: Span | null;
}

export interface ScannedPage {
  issues: ScannedIssue[];
  /** The paging envelope, decoded: Cloud's `nextPageToken`/`isLast`, Data Center's `total`. */
  nextPageToken: unknown;
  isLast: unknown;
  total: unknown;
}

/** Jira timestamps look like `"2022-03-20T06:21:50.295+0530"` (quotes included); epoch ms or NaN. */
export function parseJiraInstantBytes(b: Uint8Array, start: number, end: number): number {
  if (end - start === 30 && b[start + 11] === 0x54 && b[start + 5] === 0x2d && b[start + 20] === 0x2e) {
    let ok = true;
    const digits = (at: number, count: number) => {
      let v = 0;
      for (let k = 0; k < count; k++) {
        const c = b[start + 1 + at + k]! - 0x30;
        if (c < 0 || c > 9) ok = false;
        v = v * 10 + c;
      }
      return v;
    };
    const sign = b[start + 24];
    const utc = Date.UTC(digits(0, 4), digits(5, 2) - 1, digits(8, 2), digits(11, 2), digits(14, 2), digits(17, 2), digits(20, 3));
    const offset = (digits(24, 2) * 60 + digits(26, 2)) * 60_000;
    if (ok && (sign === 0x2b || sign === 0x2d)) return sign === 0x2b ? utc - offset : utc + offset;
  }
  if (b[start] !== QUOTE) return Number.NaN;
  return Date.parse(text(b, start + 1, end - 1).replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

/** The display name of a user, status, type, priority or resolution object: displayName ?? name ?? value. */
function nameOf(b: Uint8Array, start: number, n: number, onCategory?: (key: string | null) => void): { end: number; name: string | null } {
  if (b[start] !== OPEN_BRACE) return { end: skipValue(b, start, n), name: null };
  let displayName: string | null = null;
  let name: string | null = null;
  let value: string | null = null;
  const end = eachMember(b, start, n, (keyStart, keyEnd, valueStart) => {
    const valueEnd = skipValue(b, valueStart, n);
    if (keyIs(b, keyStart, keyEnd, 'name')) name = stringAt(b, valueStart, valueEnd);
    else if (keyIs(b, keyStart, keyEnd, 'displayName')) displayName = stringAt(b, valueStart, valueEnd);
    else if (keyIs(b, keyStart, keyEnd, 'value')) value = stringAt(b, valueStart, valueEnd);
    else if (onCategory && keyIs(b, keyStart, keyEnd, 'statusCategory') && b[valueStart] === OPEN_BRACE)
      onCategory(memberString(b, valueStart, n, 'key'));
    return valueEnd;
  });
  return { end, name: displayName ?? name ?? value };
}

/** The string member `name` of the object at `start` (already validated), or null. */
function memberString(b: Uint8Array, start: number, n: number, name: string): string | null {
  let found: string | null = null;
  eachMember(b, start, n, (keyStart, keyEnd, valueStart) => {
    const valueEnd = skipValue(b, valueStart, n);
    if (keyIs(b, keyStart, keyEnd, name)) found = stringAt(b, valueStart, valueEnd);
    return valueEnd;
  });
  return found;
}

/** The labels list as JSON text of its strings. */
function labelsAt(b: Uint8Array, start: number, end: number): string {
  const listed = text(b, start, end);
  const labels = JSON.parse(listed) as unknown;
  if (!Array.isArray(labels)) return '[]';
  return labels.every((label) => typeof label === 'string') ? listed : JSON.stringify(labels.filter((l) => typeof l === 'string'));
}

function scanFields(b: Uint8Array, start: number, n: number, issue: ScannedIssue): number {
  return eachMember(b, start, n, (keyStart, keyEnd, valueStart) => {
    // Dispatch on the key's length before comparing it whole: most keys match nothing.
    switch (keyEnd - keyStart) {
      case 6:
        if (keyIs(b, keyStart, keyEnd, 'status')) {
          const { end, name } = nameOf(b, valueStart, n, (key) => (issue.statusCategory = key));
          issue.status = name;
          return end;
        }
        if (keyIs(b, keyStart, keyEnd, 'labels')) {
          const end = skipValue(b, valueStart, n);
          if (b[valueStart] === OPEN_BRACKET) issue.labels = labelsAt(b, valueStart, end);
          return end;
        }
        break;
      case 7: {
        if (keyIs(b, keyStart, keyEnd, 'project')) {
          const end = skipValue(b, valueStart, n);
          if (b[valueStart] === OPEN_BRACE) issue.projectKey = memberString(b, valueStart, n, 'key');
          return end;
        }
        const end = skipValue(b, valueStart, n);
        if (keyIs(b, keyStart, keyEnd, 'summary')) issue.summary = stringAt(b, valueStart, end) ?? '';
        else if (keyIs(b, keyStart, keyEnd, 'updated')) issue.updatedMs = parseJiraInstantBytes(b, valueStart, end);
        else if (keyIs(b, keyStart, keyEnd, 'created')) issue.createdMs = parseJiraInstantBytes(b, valueStart, end);
        return end;
      }
      case 8:
        if (keyIs(b, keyStart, keyEnd, 'priority')) return named(valueStart, (name) => (issue.priority = name));
        if (keyIs(b, keyStart, keyEnd, 'assignee')) return named(valueStart, (name) => (issue.assignee = name));
        if (keyIs(b, keyStart, keyEnd, 'reporter')) return named(valueStart, (name) => (issue.reporter = name));
        break;
      case 9:
        if (keyIs(b, keyStart, keyEnd, 'issuetype')) return named(valueStart, (name) => (issue.issueType = name));
        break;
      case 10:
        if (keyIs(b, keyStart, keyEnd, 'resolution')) return named(valueStart, (name) => (issue.resolution = name));
        if (keyIs(b, keyStart, keyEnd, 'lastViewed')) {
          const end = skipValue(b, valueStart, n);
          issue.lastViewed = { start: valueStart, end };
          return end;
        }
        break;
      case 11:
        if (keyIs(b, keyStart, keyEnd, 'description')) {
          const end = skipValue(b, valueStart, n);
          if (b[valueStart] === QUOTE || b[valueStart] === OPEN_BRACE) issue.description = { start: valueStart, end };
          return end;
        }
    }
    return skipValue(b, valueStart, n);
  });

  function named(valueStart: number, assign: (name: string | null) => void): number {
    const { end, name } = nameOf(b, valueStart, n);
    assign(name);
    return end;
  }
}

const KEY_PATTERN = /^[A-Z][A-Z0-9_]*-\d+$/;
const ID_PATTERN = /^\d+$/;

function scanIssue(b: Uint8Array, start: number, n: number, index: number): ScannedIssue {
  const where = `issue #${index + 1} of the page`;
  if (b[start] !== OPEN_BRACE) {
    skipValue(b, start, n);
    throw new SyncError('Validation', `Jira sent a malformed search page: ${where} is not an object`);
  }
  const issue: ScannedIssue = {
    start,
    end: 0,
    id: '',
    key: '',
    updatedMs: Number.NaN,
    createdMs: Number.NaN,
    summary: '',
    status: null,
    statusCategory: null,
    issueType: null,
    priority: null,
    assignee: null,
    reporter: null,
    resolution: null,
    projectKey: null,
    labels: '[]',
    description: null,
    lastViewed: null,
  };
  let hasFields = false;
  issue.end = eachMember(b, start, n, (keyStart, keyEnd, valueStart) => {
    if (b[valueStart] === OPEN_BRACE && keyIs(b, keyStart, keyEnd, 'fields')) {
      hasFields = true;
      return scanFields(b, valueStart, n, issue);
    }
    const end = skipValue(b, valueStart, n);
    if (keyIs(b, keyStart, keyEnd, 'id')) issue.id = stringAt(b, valueStart, end) ?? '';
    else if (keyIs(b, keyStart, keyEnd, 'key')) issue.key = stringAt(b, valueStart, end) ?? '';
    return end;
  });
  if (!ID_PATTERN.test(issue.id)) throw new SyncError('Validation', `Jira sent a malformed search page: ${where} has no numeric id`);
  if (!KEY_PATTERN.test(issue.key))
    throw new SyncError('Validation', `Jira sent a malformed search page: ${where} (id ${issue.id}) has no valid key`);
  if (!hasFields) throw new SyncError('Validation', `Jira sent a malformed search page: ${issue.key} has no fields`);
  if (!Number.isFinite(issue.updatedMs))
    throw new SyncError('Validation', `Jira sent a malformed search page: ${issue.key} has no valid "updated" time`);
  return issue;
}

function scanIssues(b: Uint8Array, start: number, n: number, into: ScannedIssue[]): number {
  let i = skipWs(b, start + 1);
  if (b[i] === CLOSE_BRACKET) return i + 1;
  for (;;) {
    const issue = scanIssue(b, i, n, into.length);
    into.push(issue);
    i = skipWs(b, issue.end);
    if (b[i] === COMMA) i = skipWs(b, i + 1);
    else if (b[i] === CLOSE_BRACKET) return i + 1;
    else malformed('a missing comma in a list');
  }
}

/**
 * Scans one search response body. A body that is not JSON (cut short, garbled, not UTF-8) is worth
 * retrying; a well-formed page holding a malformed issue is not. Either way nothing of it is written.
 */
export function scanSearchPage(b: Uint8Array): ScannedPage {
  const n = b.length;
  const page: ScannedPage = { issues: [], nextPageToken: undefined, isLast: undefined, total: undefined };
  try {
    if (!isUtf8(b)) malformed('not UTF-8');
    const start = skipWs(b, 0);
    let issues = false;
    let end: number;
    if (b[start] === OPEN_BRACE) {
      end = eachMember(b, start, n, (keyStart, keyEnd, valueStart) => {
        if (keyIs(b, keyStart, keyEnd, 'issues')) {
          if (b[valueStart] === OPEN_BRACKET) {
            issues = true;
            return scanIssues(b, valueStart, n, page.issues);
          }
          return skipValue(b, valueStart, n);
        }
        const valueEnd = skipValue(b, valueStart, n);
        if (keyIs(b, keyStart, keyEnd, 'nextPageToken')) page.nextPageToken = JSON.parse(text(b, valueStart, valueEnd));
        else if (keyIs(b, keyStart, keyEnd, 'isLast')) page.isLast = JSON.parse(text(b, valueStart, valueEnd));
        else if (keyIs(b, keyStart, keyEnd, 'total')) page.total = JSON.parse(text(b, valueStart, valueEnd));
        return valueEnd;
      });
    } else {
      end = skipValue(b, start, n);
    }
    if (skipWs(b, end) !== n) malformed('data after the end');
    if (!issues) throw new SyncError('Validation', 'Jira sent a malformed search page: "issues" is not a list');
  } catch (error) {
    // A page found malformed before its end is first checked whole: a body that is not JSON at all
    // (cut short, garbled) is worth a retry, whatever it looked like up to that point.
    if (error instanceof Malformed || !isJson(b)) {
      throw new SyncError('Validation', `Jira sent a search response that is not valid JSON (${n} bytes)`, { retryable: true });
    }
    throw error;
  }
  return page;
}

function isJson(b: Uint8Array): boolean {
  try {
    return skipWs(b, skipValue(b, skipWs(b, 0), b.length)) === b.length;
  } catch {
    return false;
  }
}
