/**
 * The JQL tokenizer: words, quoted strings (with escapes), operators, parentheses and commas — and the
 * reserved characters Jira rejects outside quotes, with its message.
 */
import { JqlError, where } from './jqlError.ts';

type TokType = 'lp' | 'rp' | 'comma' | 'op' | 'str' | 'word' | 'and' | 'or' | 'not' | 'eof';
export interface Token {
  t: TokType;
  v: string;
  pos: number;
}

const OPERATORS = ['!=', '!~', '>=', '<=', '=', '>', '<', '~'];
const RESERVED = new Set(['+', ';', '?', '*', '%', '^', '$', '#', '@', '[', ']', '{', '}']);
const WORD_STOP = new Set([' ', '\t', '\n', '\r', '(', ')', ',', '"', "'", '=', '!', '<', '>', '~', '&', '|']);

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i] as string;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    const start = i;
    if (ch === '(') {
      out.push({ t: 'lp', v: ch, pos: i++ });
      continue;
    }
    if (ch === ')') {
      out.push({ t: 'rp', v: ch, pos: i++ });
      continue;
    }
    if (ch === ',') {
      out.push({ t: 'comma', v: ch, pos: i++ });
      continue;
    }
    if (ch === '"' || ch === "'") {
      i++;
      let s = '';
      let closed = false;
      while (i < n) {
        const c = text[i] as string;
        if (c === '\\' && i + 1 < n) {
          const e = text[i + 1] as string;
          if (e === 'n') s += '\n';
          else if (e === 't') s += '\t';
          else if (e === 'r') s += '\r';
          else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            s += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
            i += 4;
          } else s += e;
          i += 2;
          continue;
        }
        if (c === ch) {
          closed = true;
          i++;
          break;
        }
        s += c;
        i++;
      }
      if (!closed) {
        throw new JqlError(`Error in the JQL Query: The quoted string '${s}' has not been completed. ${where(text, start)}`);
      }
      out.push({ t: 'str', v: s, pos: start });
      continue;
    }
    if (ch === '&' || ch === '|') {
      i += text[i + 1] === ch ? 2 : 1;
      out.push({ t: ch === '&' ? 'and' : 'or', v: text.slice(start, i), pos: start });
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      i += op.length;
      out.push({ t: 'op', v: op, pos: start });
      continue;
    }
    if (ch === '!') {
      out.push({ t: 'not', v: ch, pos: i++ });
      continue;
    }
    if (RESERVED.has(ch)) {
      const code = ch.charCodeAt(0).toString(16).padStart(4, '0');
      throw new JqlError(
        `Error in the JQL Query: The character '${ch}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u${code}' instead. ${where(text, start)}`,
      );
    }
    while (i < n) {
      const c = text[i] as string;
      if (WORD_STOP.has(c)) break;
      if (RESERVED.has(c) && c !== '+') {
        const code = c.charCodeAt(0).toString(16).padStart(4, '0');
        throw new JqlError(
          `Error in the JQL Query: The character '${c}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u${code}' instead. ${where(text, i)}`,
        );
      }
      i++;
    }
    const w = text.slice(start, i);
    const up = w.toUpperCase();
    if (up === 'AND') out.push({ t: 'and', v: w, pos: start });
    else if (up === 'OR') out.push({ t: 'or', v: w, pos: start });
    else if (up === 'NOT') out.push({ t: 'not', v: w, pos: start });
    else out.push({ t: 'word', v: w, pos: start });
  }
  out.push({ t: 'eof', v: '', pos: n });
  return out;
}
