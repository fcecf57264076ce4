/**
 * The text side of the issue search: the user's words as an FTS5 query over `issues_fts` (key,
 * summary, description; live issues only), and what the index answers on its own.
 */
import type { Store } from './db.ts';

/** Key columns count most, then the summary, then the description; bm25 is lower for better matches. */
export const RELEVANCE = 'bm25(issues_fts, 10.0, 5.0, 1.0)';

/**
 * The user's words as the phrases of an FTS5 query, which must all occur (each word as a phrase of
 * its tokens, so `DEMO-12` finds the key), the last one as a prefix because people search as they
 * type. Quotes are doubled, so no input can inject FTS5 syntax. Null when the text holds no
 * searchable word.
 *
 * `complete` may name the only word of the index the last token completes to: the query then asks
 * for that word, which matches exactly the same issues with the same scores (see `onlyCompletion`).
 */
export function ftsPhrases(text: string, complete?: (prefix: string) => string | null): string[] | null {
  const words = text
    .split(/\s+/)
    .map((word) => word.match(/[\p{L}\p{N}]+/gu) ?? [])
    .filter((tokens) => tokens.length > 0);
  if (words.length === 0) return null;
  const last = words[words.length - 1]!;
  const completion = complete?.(last[last.length - 1]!) ?? null;
  if (completion !== null) last[last.length - 1] = completion;
  const phrase = (tokens: string[]) => `"${tokens.join(' ').replaceAll('"', '""')}"`;
  return words.map((tokens, i) => `${phrase(tokens)}${i === words.length - 1 && completion === null ? '*' : ''}`);
}

/** The phrases as one FTS5 query: every one must occur. */
export const matchOf = (phrases: string[]): string => phrases.join(' AND ');

/** Whether the query still holds a prefix: FTS5 then merges the entries of every completion at each lookup. */
export function isPrefixQuery(match: string): boolean {
  return match.endsWith('*');
}

/**
 * The one word of the index that starts with `prefix`, or null when none or several do. Only for
 * ASCII letters and digits, which the tokenizer merely lowercases (other text is folded by rules
 * this side does not repeat). Two seeks in the index's vocabulary, in term order: the first word
 * from the prefix on, and the first after it (the smallest text after a word is the word and a
 * NUL; the vocabulary reads `>` as `>=`).
 */
export function onlyCompletion(store: Store, prefix: string): string | null {
  if (!/^[A-Za-z0-9]+$/.test(prefix)) return null;
  const from = prefix.toLowerCase();
  const next = store.statement(`SELECT term FROM issues_fts_terms WHERE term >= ? ORDER BY term LIMIT 1`);
  const first = (next.get(from) as { term: string } | undefined)?.term;
  if (first === undefined || !first.startsWith(from)) return null;
  const second = (next.get(`${first}\u0000`) as { term: string } | undefined)?.term;
  return second !== undefined && second.startsWith(from) ? null : first;
}

/** Live issues the query matches, counted on the index alone. */
export function countMatches(store: Store, match: string): number {
  return (store.statement(`SELECT COUNT(*) AS n FROM issues_fts WHERE issues_fts MATCH ?`).get(match) as { n: number }).n;
}

/**
 * One issue (`i.seq`) matches: a lookup of that row in the index, cheap for an exact query (~5 µs
 * on a merged index, ~25 µs on one of many segments) and slow for a prefix (`isPrefixQuery`).
 */
export const MATCHES_ISSUE = 'EXISTS (SELECT 1 FROM issues_fts f WHERE f.issues_fts MATCH @match AND f.rowid = i.seq)';

/** The matching issues as a set to test `i.seq` against, built once per statement (cost grows with the matches). */
export const MATCHING_SEQS = 'i.seq IN (SELECT rowid FROM issues_fts WHERE issues_fts MATCH @match)';
