/**
 * Relevance pages of a text alone: the matches ranked by bm25 (best first, ties by row id), exact,
 * without scoring every match each time. FTS5 computes bm25 for every match (~0.4 µs each) and
 * cannot stop early, so a word most issues hold costs ~60 ms a page. Here the first page of such a
 * query is ranked that way once, keeping the best `keep` matches and the score below which every
 * other match lies (the base). Later queries of the same text:
 * - on the same index state (its generation, see `issue_text_changes`) read the kept ranking;
 * - after writes, rescore with FTS5's own bm25 only the kept matches and the issues changed since
 *   the base (`issueTextBounds.ts` proves which of them no other match can pass);
 * - otherwise (too many changes, a page past what is proven) rank every match again.
 * Kept per connection in memory: a cached answer is only served for the index state it was
 * computed or proven on, read in the same transaction as the rest of the page.
 */
import type { IssueSearch } from '../shared/issues.ts';
import type { Store } from './db.ts';
import { indexGeneration, indexTotals, provenPrefix, type RankBase } from './issueTextBounds.ts';
import { countMatches, matchOf, RELEVANCE } from './issueText.ts';

export interface RankLimits {
  /** Fewer matches than this are ranked in full each time (cheap enough, nothing kept). */
  minMatches: number;
  /** Matches kept best first; a page ending past them is ranked in full. */
  keep: number;
  /** Changes since the base past which the kept ranking is dropped rather than carried forward. */
  maxChanges: number;
}

/**
 * Under 10,000 matches a full ranking costs ~4 ms; 1,000 kept hold the first 20 pages of 50 and
 * leave room for the bound; 20,000 changes rescored cost ~8 ms of bm25 more than the kept ones.
 */
export const RANK_LIMITS: RankLimits = { minMatches: 10_000, keep: 1000, maxChanges: 20_000 };

/** Texts kept per connection; the oldest used goes first. */
const KEPT_TEXTS = 64;

interface Ranked {
  /** Index generation the ranking holds for. */
  generation: number;
  total: number;
  /** Best first: the exact head of the ranking of every match. */
  seqs: number[];
}

interface Kept {
  base: RankBase;
  current: Ranked;
}

const kept = new WeakMap<Store, Map<string, Kept>>();

interface Page {
  limit: number;
  offset: number;
}

/** Page seqs in page order and the count of every match. */
export interface RankedSeqs {
  seqs: number[];
  total: number;
}

/** The matches in relevance order (`direction` of the score: ASC is best first), ties by row id in the same direction. */
export function rankedSeqsSql(direction: 'ASC' | 'DESC'): string {
  return `SELECT rowid AS seq, ${RELEVANCE} AS score FROM issues_fts WHERE issues_fts MATCH @match
          ORDER BY score ${direction}, rowid ${direction} LIMIT @limit OFFSET @offset`;
}

/**
 * The seqs of one relevance page of the query `phrases` (all must match) and the count of every
 * match. To be called in a read transaction (one index state for the count and the page); `cache`
 * false when that transaction is the caller's own, whose writes might yet be rolled back.
 */
export function rankMatches(
  store: Store,
  phrases: string[],
  order: IssueSearch['order'],
  page: Page,
  cache: boolean,
  limits: RankLimits = RANK_LIMITS,
): RankedSeqs {
  const match = matchOf(phrases);
  const end = page.offset + page.limit;
  const texts = cache && order !== 'asc' && end <= limits.keep ? textsOf(store) : null;
  const generation = texts ? indexGeneration(store) : null;
  const entry = texts?.get(match);
  if (entry && generation && entry.current.generation === generation.last && covers(entry.current, end)) {
    texts!.delete(match);
    texts!.set(match, entry);
    return { seqs: entry.current.seqs.slice(page.offset, end), total: entry.current.total };
  }
  const total = countMatches(store, match);
  if (!texts || !generation || total < limits.minMatches) {
    return { seqs: total === 0 ? [] : rankedSeqs(store, match, order, page), total };
  }
  const carried = entry ? carryForward(store, entry.base, phrases, generation, total, limits) : null;
  const current = carried && covers(carried, end) ? carried : null;
  const next = current ? { base: entry!.base, current } : rankAll(store, phrases, generation.last, total, limits);
  texts.delete(match);
  texts.set(match, next);
  if (texts.size > KEPT_TEXTS) texts.delete(texts.keys().next().value!);
  return { seqs: next.current.seqs.slice(page.offset, end), total };
}

/** Drops what the connection keeps (the bench's first query of a text; nothing else needs it). */
export function forgetRankings(store: Store): void {
  kept.delete(store);
}

function textsOf(store: Store): Map<string, Kept> {
  let texts = kept.get(store);
  if (!texts) {
    texts = new Map();
    kept.set(store, texts);
  }
  return texts;
}

/** Whether the ranking holds a page ending at `end`: proven that far, or holding every match. */
const covers = (ranked: Ranked, end: number) => end <= ranked.seqs.length || ranked.seqs.length === ranked.total;

function rankedSeqs(store: Store, match: string, order: IssueSearch['order'], page: Page): number[] {
  const rows = store.statement(rankedSeqsSql(order === 'asc' ? 'DESC' : 'ASC')).all({ match, ...page }) as Array<{ seq: number }>;
  return rows.map((row) => row.seq);
}

/**
 * Every match scored, the best `keep` kept with the base they bound the rest by: the last kept
 * score (no other match scores better), and what the bound depends on (rows, tokens, each phrase's
 * matches) at this generation.
 */
function rankAll(store: Store, phrases: string[], generation: number, total: number, limits: RankLimits): Kept {
  const match = matchOf(phrases);
  const rows = store.statement(rankedSeqsSql('ASC')).all({ match, limit: limits.keep, offset: 0 }) as Array<{ seq: number; score: number }>;
  const seqs = rows.map((row) => row.seq);
  const hits = phrases.length === 1 ? [total] : phrases.map((phrase) => countMatches(store, phrase));
  const rest = rows.length < total ? -rows[rows.length - 1]!.score : 0;
  return { base: { generation, ...indexTotals(store), hits, seqs, rest }, current: { generation, total, seqs } };
}

/**
 * The base's kept matches and every issue changed since, rescored by FTS5 (one pass over the
 * matches, bm25 for those only), in order; the head no other match can pass is the ranking now.
 * Null when the changes since the base are too many or no longer all recorded.
 */
function carryForward(
  store: Store,
  base: RankBase,
  phrases: string[],
  generation: { first: number; last: number },
  total: number,
  limits: RankLimits,
): Ranked | null {
  const changes = generation.last - base.generation;
  const recorded = changes === 0 || generation.first <= base.generation + 1;
  if (!recorded || changes > limits.maxChanges) return null;
  const rows = store
    .statement(
      `SELECT rowid AS seq, ${RELEVANCE} AS score FROM issues_fts WHERE issues_fts MATCH @match
         AND +rowid IN (SELECT value FROM json_each(@kept) UNION SELECT seq FROM issue_text_changes WHERE id > @since)
       ORDER BY score, rowid LIMIT @keep`,
    )
    .all({ match: matchOf(phrases), kept: JSON.stringify(base.seqs), since: base.generation, keep: limits.keep }) as Array<{
    seq: number;
    score: number;
  }>;
  const proven = provenPrefix(base, rows, { changes, total, ...indexTotals(store) });
  return { generation: generation.last, total, seqs: rows.slice(0, proven).map((row) => row.seq) };
}
