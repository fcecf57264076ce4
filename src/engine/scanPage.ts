/**
 * Reads a search response straight from its bytes: one pass validates the whole page as JSON and
 * notes where each issue starts and ends and where the few values the mirror's columns need are.
 * Nothing else is decoded, and no object is built for the ~60 fields the mirror keeps only as raw
 * JSON: each issue's stored text is its original bytes, and its content hash is taken over them.
 *
 * This is the sync's hot path (it replaced decoding the body to a string, JSON.parse, and
 * re-serializing and hashing every issue). The known outline (page → issues → issue → fields →
 * the few objects that matter) is read by small functions; every other value is validated by
 * `skipValue`, one flat loop with an explicit stack, which is where most bytes go.
 */
import { isUtf8 } from 'node:buffer';
import { SyncError } from './errors.ts';

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

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Bytes that end the fast run through a string: the quote, the backslash, control characters. */
const STRING_STOP = new Uint8Array(256);
STRING_STOP[QUOTE] = 1;
STRING_STOP[BACKSLASH] = 1;
for (let c = 0; c < 0x20; c++) STRING_STOP[c] = 1;
const HEX = new Uint8Array(256);
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;
const ESCAPABLE = new Uint8Array(256);
for (const c of '"\\/bfnrt') ESCAPABLE[c.charCodeAt(0)] = 1;

// Byte classes outside strings (0: anything else).
const K_WS = 1;
const K_QUOTE = 2;
const K_OPEN_OBJECT = 3;
const K_CLOSE_OBJECT = 4;
const K_OPEN_LIST = 5;
const K_CLOSE_LIST = 6;
const K_COMMA = 7;
const K_COLON = 8;
const K_NUMBER = 9;
const K_LITERAL = 10;
const CLASS = new Uint8Array(256);
for (const c of ' \t\n\r') CLASS[c.charCodeAt(0)] = K_WS;
CLASS[QUOTE] = K_QUOTE;
CLASS[OPEN_BRACE] = K_OPEN_OBJECT;
CLASS[CLOSE_BRACE] = K_CLOSE_OBJECT;
CLASS[OPEN_BRACKET] = K_OPEN_LIST;
CLASS[CLOSE_BRACKET] = K_CLOSE_LIST;
CLASS[COMMA] = K_COMMA;
CLASS[COLON] = K_COLON;
for (const c of '-0123456789') CLASS[c.charCodeAt(0)] = K_NUMBER;
for (const c of 'tfn') CLASS[c.charCodeAt(0)] = K_LITERAL;

const MAX_DEPTH = 512;
const stack = new Uint8Array(MAX_DEPTH);

class Malformed extends Error {}

function malformed(what: string): never {
  throw new Malformed(what);
}

/** Set by `skipString`: whether the string just skipped held an escape. */
let lastEscaped = false;

/**
 * The page as 32-bit words, when its bytes start on a word boundary (a page read whole always
 * does): strings are skipped four bytes at a time, falling back to single bytes near a stop.
 */
let words: Int32Array | null = null;
let wordsOf: Uint8Array | null = null;

function wordsFor(b: Uint8Array): Int32Array | null {
  if (wordsOf !== b) {
    wordsOf = b;
    words = b.byteOffset % 4 === 0 ? new Int32Array(b.buffer, b.byteOffset, b.length >> 2) : null;
  }
  return words;
}

/**
 * Whether any of a word's four bytes may end a fast run: a quote, a backslash, a control
 * character, or a non-ASCII byte (then the bytes decide). The usual has-zero-byte trick, thrice.
 */
function mayStop(v: number): boolean {
  const quote = v ^ 0x22222222;
  const backslash = v ^ 0x5c5c5c5c;
  return ((((quote - 0x01010101) & ~quote) | ((backslash - 0x01010101) & ~backslash) | ((v - 0x20202020) & ~v) | v) & 0x80808080) !== 0;
}

/** `i` at an opening quote; returns the index after the closing quote and sets `lastEscaped`. */
function skipString(b: Uint8Array, i: number, n: number): number {
  const w = wordsFor(b);
  let escaped = false;
  i += 1;
  for (;;) {
    if (w !== null) {
      // Byte by byte to the next word boundary, then word by word while no byte can stop.
      while ((i & 3) !== 0 && i < n && STRING_STOP[b[i]!] === 0) i++;
      if ((i & 3) === 0) {
        let k = i >> 2;
        const last = w.length;
        while (k < last && !mayStop(w[k]!)) k++;
        i = k << 2;
      }
    }
    while (i < n && STRING_STOP[b[i]!] === 0) {
      i++;
      // Past a non-ASCII byte at a word boundary again: back to the word loop.
      if (w !== null && (i & 3) === 0) break;
    }
    if (i >= n) malformed('an unterminated string');
    const c = b[i]!;
    if (STRING_STOP[c] === 0) continue;
    if (c === QUOTE) break;
    if (c !== BACKSLASH) malformed('a control character in a string');
    escaped = true;
    const e = b[i + 1]!;
    if (e === 0x75) {
      if (HEX[b[i + 2]!] !== 1 || HEX[b[i + 3]!] !== 1 || HEX[b[i + 4]!] !== 1 || HEX[b[i + 5]!] !== 1) malformed('a bad \\u escape');
      i += 6;
    } else if (ESCAPABLE[e] === 1) {
      i += 2;
    } else {
      malformed('a bad escape');
    }
  }
  lastEscaped = escaped;
  return i + 1;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

function skipNumber(b: Uint8Array, i: number): number {
  if (b[i] === 0x2d) i++;
  if (b[i] === 0x30) i++;
  else if (isDigit(b[i])) while (isDigit(b[i])) i++;
  else malformed('a bad number');
  if (b[i] === 0x2e) {
    i++;
    if (!isDigit(b[i])) malformed('a bad number');
    while (isDigit(b[i])) i++;
  }
  if (b[i] === 0x65 || b[i] === 0x45) {
    i++;
    if (b[i] === 0x2b || b[i] === 0x2d) i++;
    if (!isDigit(b[i])) malformed('a bad number');
    while (isDigit(b[i])) i++;
  }
  return i;
}

function skipLiteral(b: Uint8Array, i: number): number {
  const c = b[i];
  if (c === 0x74 && b[i + 1] === 0x72 && b[i + 2] === 0x75 && b[i + 3] === 0x65) return i + 4;
  if (c === 0x6e && b[i + 1] === 0x75 && b[i + 2] === 0x6c && b[i + 3] === 0x6c) return i + 4;
  if (c === 0x66 && b[i + 1] === 0x61 && b[i + 2] === 0x6c && b[i + 3] === 0x73 && b[i + 4] === 0x65) return i + 5;
  return malformed('a bad literal');
}

function skipWs(b: Uint8Array, i: number): number {
  while (CLASS[b[i]!] === K_WS) i++;
  return i;
}

// skipValue's states.
const S_VALUE = 0;
const S_AFTER_VALUE = 1;
const S_FIRST_KEY = 2;
const S_KEY = 3;
const S_COLON = 4;
const S_FIRST_ELEMENT = 5;

/**
 * Validates one JSON value starting at `i` (no leading whitespace) and returns where it ends.
 * One loop, an explicit stack: no call per token, which is what makes it cheap.
 */
export function skipValue(b: Uint8Array, i: number, n: number): number {
  let depth = 0;
  let state = S_VALUE;
  for (;;) {
    if (i >= n) malformed('the end of the data inside a value');
    const k = CLASS[b[i]!]!;
    if (k === K_WS) {
      i++;
      continue;
    }
    switch (state) {
      case S_VALUE:
      case S_FIRST_ELEMENT:
        if (k === K_QUOTE) {
          i = skipString(b, i, n);
          state = S_AFTER_VALUE;
        } else if (k === K_OPEN_OBJECT) {
          if (++depth >= MAX_DEPTH) malformed('nesting too deep');
          stack[depth] = 1;
          i++;
          state = S_FIRST_KEY;
        } else if (k === K_OPEN_LIST) {
          if (++depth >= MAX_DEPTH) malformed('nesting too deep');
          stack[depth] = 0;
          i++;
          state = S_FIRST_ELEMENT;
        } else if (k === K_LITERAL) {
          i = skipLiteral(b, i);
          state = S_AFTER_VALUE;
        } else if (k === K_NUMBER) {
          i = skipNumber(b, i);
          state = S_AFTER_VALUE;
        } else if (k === K_CLOSE_LIST && state === S_FIRST_ELEMENT) {
          depth--;
          i++;
          state = S_AFTER_VALUE;
        } else {
          malformed('an unexpected character');
        }
        if (depth === 0 && state === S_AFTER_VALUE) return i;
        break;
      case S_AFTER_VALUE:
        if (k === K_COMMA) {
          i++;
          state = stack[depth] === 1 ? S_KEY : S_VALUE;
        } else if (k === (stack[depth] === 1 ? K_CLOSE_OBJECT : K_CLOSE_LIST)) {
          i++;
          if (--depth === 0) return i;
        } else {
          malformed('a missing comma');
        }
        break;
      case S_FIRST_KEY:
      case S_KEY:
        if (k === K_QUOTE) {
          i = skipString(b, i, n);
          state = S_COLON;
        } else if (k === K_CLOSE_OBJECT && state === S_FIRST_KEY) {
          i++;
          state = S_AFTER_VALUE;
          if (--depth === 0) return i;
        } else {
          malformed('an object key that is not a string');
        }
        break;
      default:
        if (k !== K_COLON) malformed('a missing colon');
        i++;
        state = S_VALUE;
    }
  }
}

/**
 * Walks the members of the object at `i` (at its `{`), calling `member(keyStart, keyEnd,
 * valueStart)` for each, which must return where the value ends. Returns where the object ends.
 */
function eachMember(b: Uint8Array, i: number, n: number, member: (keyStart: number, keyEnd: number, valueStart: number) => number): number {
  i = skipWs(b, i + 1);
  if (b[i] === CLOSE_BRACE) return i + 1;
  for (;;) {
    if (b[i] !== QUOTE) malformed('an object key that is not a string');
    const keyStart = i + 1;
    i = skipString(b, i, n);
    const keyEnd = i - 1;
    i = skipWs(b, i);
    if (b[i] !== COLON) malformed('a missing colon');
    i = skipWs(b, member(keyStart, keyEnd, skipWs(b, i + 1)));
    if (b[i] === COMMA) i = skipWs(b, i + 1);
    else if (b[i] === CLOSE_BRACE) return i + 1;
    else malformed('a missing comma in an object');
  }
}

/** Whether the key at [start, end) spells `name` (ASCII). */
function keyIs(b: Uint8Array, start: number, end: number, name: string): boolean {
  if (end - start !== name.length) return false;
  for (let k = 0; k < name.length; k++) if (b[start + k] !== name.charCodeAt(k)) return false;
  return true;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function text(b: Uint8Array, start: number, end: number): string {
  return decoder.decode(b.subarray(start, end));
}

/** A string value's text, or null when the value at `start` is not a string; `end` is after it. */
function stringAt(b: Uint8Array, start: number, end: number): string | null {
  if (b[start] !== QUOTE) return null;
  // The value was just skipped, so `lastEscaped` tells whether it holds escapes.
  return lastEscaped ? (JSON.parse(text(b, start, end)) as string) : text(b, start + 1, end - 1);
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
