/**
 * Validating and walking JSON straight from its bytes, for the search page scanner (scanPage.ts):
 * skip any value (one flat loop with an explicit stack, where most bytes go), walk an object's
 * members, compare keys and decode a string only where a value is wanted.
 */

export const QUOTE = 0x22;
const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
const COLON = 0x3a;
export const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;

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

export class Malformed extends Error {}

export function malformed(what: string): never {
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

export function skipWs(b: Uint8Array, i: number): number {
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
export function eachMember(
  b: Uint8Array,
  i: number,
  n: number,
  member: (keyStart: number, keyEnd: number, valueStart: number) => number,
): number {
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
export function keyIs(b: Uint8Array, start: number, end: number, name: string): boolean {
  if (end - start !== name.length) return false;
  for (let k = 0; k < name.length; k++) if (b[start + k] !== name.charCodeAt(k)) return false;
  return true;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export function text(b: Uint8Array, start: number, end: number): string {
  return decoder.decode(b.subarray(start, end));
}

/** A string value's text, or null when the value at `start` is not a string; `end` is after it. */
export function stringAt(b: Uint8Array, start: number, end: number): string | null {
  if (b[start] !== QUOTE) return null;
  // The value was just skipped, so `lastEscaped` tells whether it holds escapes.
  return lastEscaped ? (JSON.parse(text(b, start, end)) as string) : text(b, start + 1, end - 1);
}
