/**
 * What bounds bm25 across writes to the full-text index. FTS5's bm25 of a row is, per phrase i of
 * the query, IDF_i · f·(k1+1) / (f + k1·(1 − b + b·D/avgdl)): f the phrase's weighted occurrences
 * in the row, D the row's length, IDF_i = log((N − n_i + 0.5) / (n_i + 0.5)) (1e-6 when not
 * positive) over the N rows, n_i of them matching the phrase. A row whose text did not change keeps
 * f and D; only N, n_i and avgdl move. Its share of each phrase grows by at most avgdl_now /
 * avgdl_then (when avgdl grew; never when it shrank), and the sum by at most the largest IDF_now /
 * IDF_then. So a score bound for the unchanged rows, taken when a ranking was computed, holds
 * after any writes once multiplied by those factors; the changed rows are rescored instead.
 */
import type { Store } from './db.ts';

/** A ranking's state when it was computed in full: the bound for every match it did not keep. */
export interface RankBase {
  generation: number;
  /** The index's rows and tokens (all columns), as bm25 reads them. */
  rows: number;
  tokens: number;
  /** Rows matching each phrase of the query. */
  hits: number[];
  /** The best matches, best first. */
  seqs: number[];
  /** No match outside `seqs` scored better than this (as a positive number); 0 when `seqs` hold every match. */
  rest: number;
}

/** Relative room for rounding: bm25's own error is ~1e-15; a bound this much above any score is safe. */
const ROUNDING = 1e-9;

/** The change log's ends: `last` is the generation (0 before any change), `first` the oldest change still recorded. */
export function indexGeneration(store: Store): { first: number; last: number } {
  const row = store
    .statement(`SELECT (SELECT min(id) FROM issue_text_changes) AS first, (SELECT max(id) FROM issue_text_changes) AS last`)
    .get() as { first: number | null; last: number | null };
  return { first: row.first ?? 0, last: row.last ?? 0 };
}

/**
 * The index's row count and token total, as bm25 reads them: FTS5's averages record (row 1 of its
 * data table) holds the rows and each column's tokens as SQLite varints.
 */
export function indexTotals(store: Store): { rows: number; tokens: number } {
  const record = store.statement(`SELECT block FROM issues_fts_data WHERE id = 1`).get() as { block: Buffer } | undefined;
  const values: number[] = [];
  for (let at = 0; record && at < record.block.length;) {
    let value = 0;
    let byte: number;
    let length = 0;
    do {
      byte = record.block[at++]!;
      // The ninth byte of a varint carries eight bits; totals never get near that (2^56).
      value = value * 128 + (byte & 0x7f);
      length++;
    } while (byte & 0x80 && length < 9);
    values.push(value);
  }
  const [rows = 0, ...columns] = values;
  return { rows, tokens: columns.reduce((sum, n) => sum + n, 0) };
}

const idf = (rows: number, hits: number) => {
  const value = Math.log((rows - hits + 0.5) / (hits + 0.5));
  return value > 0 ? value : 1e-6;
};

/**
 * How many of `rows` (the base's kept matches and every issue changed since, rescored now, best
 * first) are the head of the ranking of every match now: those scoring better than any other
 * match can. The others are unchanged since the base and scored at most `base.rest` then.
 * `now.changes` bounds how many rows changed (each moves a phrase's match count by one at most);
 * every phrase matches at least the `now.total` rows matching them all (with one phrase, exactly).
 */
export function provenPrefix(
  base: RankBase,
  rows: Array<{ score: number }>,
  now: { changes: number; total: number; rows: number; tokens: number },
): number {
  if (base.rest === 0) return rows.length;
  const lengths = Math.max(1, now.tokens / now.rows / (base.tokens / base.rows));
  const idfs = Math.max(
    ...base.hits.map(
      (hits) => idf(now.rows, base.hits.length === 1 ? now.total : Math.max(now.total, hits - now.changes)) / idf(base.rows, hits),
    ),
  );
  const bound = base.rest * lengths * idfs * (1 + ROUNDING);
  const passing = rows.findIndex((row) => -row.score <= bound);
  return passing === -1 ? rows.length : passing;
}
