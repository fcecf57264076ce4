/**
 * Reading a project's work units: each unit pages its `updated` range, committing one transaction
 * per page, and asks for its next page before writing the current one, so that writing overlaps
 * the wait for Jira. Workers that would otherwise wait cut the largest range still being read, at
 * whole minutes placed by counts, and read the parts cut off.
 */
import { markSliceDone, splitSlice } from '../store/slices.ts';
import { sleep } from './http.ts';
import { floorMinute, MINUTE_MS, type SearchPage, type SearchQuery } from './jira.ts';
import type { WrittenPage } from './pageGroups.ts';
import { countIfAvailable, type ProjectContext } from './projectSync.ts';

/** A range is cut for idle workers only while it has at least this many pages left to read. */
const MIN_PAGES_TO_CUT = 4;

export interface WorkUnit {
  /** null: the whole project, advancing the project's own cursor page by page (never cut). */
  sliceId: number | null;
  /** `toMs` may be lowered while the unit runs: a cut hands the rest of its range to other units. */
  query: SearchQuery;
  /** Issues the unit is expected to hold (from counts; 0 while unknown: not cut). */
  expected: number;
  /** Issues it has read so far, and the `updated` instant of the last one. */
  read: number;
  lastUpdatedMs: number | null;
  /** Where its range starts, for cutting (its `fromMs`; null for a first range reaching back to the start). */
  spanFromMs: number | null;
  /** A worker is placing cuts in it right now. */
  cutting: boolean;
}

/**
 * Pages one unit to its end; each page is validated whole, then committed in one transaction. When
 * a cut lowered the unit's upper bound, its query starts again from the minute of the last issue
 * read (Cloud's page tokens belong to one query), leaving out what was already read of that minute.
 */
export async function runUnit(ctx: ProjectContext, unit: WorkUnit, afterPage: () => void = () => {}): Promise<void> {
  let bound = unit.query.toMs;
  let query = unit.query;
  let position: string | null = null;
  // The ids read within the minute of the last issue read: what a restarted query reads again.
  let lastMinute: number | null = null;
  let readInLastMinute = new Set<string>();
  let restarted = false;
  let firstPage = true;
  const request = () => {
    const sent = ctx.client.search(query, ctx.getConfig().batchSize, position, ctx.stats, ctx.signal);
    // A request sent ahead may fail (a stop, a timeout) while its predecessor's page still waits to
    // be written; unhandled until then, that rejection would end the engine thread. `await` below
    // still throws it.
    sent.catch(() => {});
    return sent;
  };
  let pending: Promise<SearchPage> | null = request();
  while (pending) {
    const page = await pending;
    pending = null;
    // A cut while this page was on its way: what lies above the new bound is another unit's.
    const upper = unit.query.toMs;
    const issues = page.issues.filter(
      (issue) => !(restarted && readInLastMinute.has(issue.id)) && (upper === null || issue.updatedMs < upper),
    );
    for (const issue of issues) {
      const minute = floorMinute(issue.updatedMs);
      if (minute !== lastMinute) {
        lastMinute = minute;
        readInLastMinute = new Set();
      }
      readInLastMinute.add(issue.id);
    }
    if (issues.length > 0) unit.lastUpdatedMs = issues.at(-1)!.updatedMs;
    // The next request goes out before this page is written (unless a pause between requests is set).
    const pause = ctx.getConfig().rateLimitPause;
    const next = nextQuery(page.next);
    if (next && pause === 0) pending = request();
    let written: WrittenPage;
    try {
      written = await page.commit(
        { instanceId: ctx.instanceId, projectKey: ctx.projectKey, runId: ctx.runId, projectDetailId: ctx.detailId, sliceId: unit.sliceId },
        issues,
      );
    } catch (error) {
      // The request already sent is given up with the failed page.
      pending?.then(
        (p) => p.release(),
        () => {},
      );
      throw error;
    }
    ctx.stats.parseMs += page.parseMs;
    ctx.stats.writeMs += written.writeMs;
    unit.read += issues.length;
    if (page.total !== null && unit.sliceId === null && firstPage) ctx.onExpected(page.total);
    firstPage = false;
    ctx.onPage(issues.length);
    afterPage();
    if (next && !pending) {
      await sleep(pause * 1000, ctx.signal);
      pending = request();
    }
  }
  if (unit.sliceId !== null) markSliceDone(ctx.store, unit.sliceId);

  /** Sets up the query and position of the request after `page`; false when the unit is done. */
  function nextQuery(following: string | null): boolean {
    if (unit.query.toMs !== bound) {
      bound = unit.query.toMs;
      query = { ...unit.query, fromMs: lastMinute ?? unit.query.fromMs };
      position = null;
      restarted = true;
      return true;
    }
    position = following;
    return following !== null;
  }
}

/** The open unit with the most left to read that is worth cutting, if any. */
function largestToCut(ctx: ProjectContext, units: Iterable<WorkUnit>): WorkUnit | null {
  const minimum = MIN_PAGES_TO_CUT * ctx.getConfig().batchSize;
  let largest: WorkUnit | null = null;
  for (const unit of units) {
    if (unit.sliceId === null || unit.cutting || unit.expected - unit.read < minimum) continue;
    if (unreadFrom(unit) === null) continue;
    if (!largest || unit.expected - unit.read > largest.expected - largest.read) largest = unit;
  }
  return largest;
}

/** Where the part of a unit not read yet starts: the minute after its last issue read. */
function unreadFrom(unit: WorkUnit): number | null {
  return unit.lastUpdatedMs !== null ? floorMinute(unit.lastUpdatedMs) + MINUTE_MS : unit.spanFromMs;
}

/**
 * Where to cut `[from, to)` into `pieces` parts of about equal size, from counts at evenly spaced
 * points (`below[i]` issues in `[from, points[i])`, `total` in the whole range): each cut goes where
 * the counts, joined by straight lines, reach the next share of the total (issues bunch up in time,
 * recently updated ones most, so equal spans would make unequal parts). A cut sits on a whole minute
 * and carries its interpolated `below`, which only plans: the parts cover the range whatever it says.
 */
export function quantileCuts(
  from: number,
  to: number,
  points: number[],
  below: number[],
  total: number,
  pieces: number,
): Array<{ at: number; below: number }> {
  const knots = [
    { at: from, below: 0 },
    ...points.map((at, i) => ({ at, below: below[i]! })),
    { at: to, below: Math.max(total, below.at(-1) ?? 0) },
  ];
  const cuts: Array<{ at: number; below: number }> = [];
  let k = 0;
  for (let j = 1; j < pieces; j++) {
    const share = (j * knots.at(-1)!.below) / pieces;
    while (k < knots.length - 2 && knots[k + 1]!.below < share) k++;
    const [a, b] = [knots[k]!, knots[k + 1]!];
    const exact = b.below === a.below ? a.at : a.at + ((share - a.below) / (b.below - a.below)) * (b.at - a.at);
    const at = floorMinute(exact);
    if (at <= from || at >= to || (cuts.length > 0 && at <= cuts.at(-1)!.at)) continue;
    // The interpolated count at the whole minute actually cut.
    const count = b.at === a.at ? a.below : a.below + ((at - a.at) / (b.at - a.at)) * (b.below - a.below);
    cuts.push({ at, below: Math.round(Math.max(a.below, Math.min(b.below, count))) });
  }
  return cuts;
}

/**
 * Cuts what a unit has not read yet into up to `pieces` parts at whole minutes, with one round of
 * counts (asked at once, at evenly spaced points) placing the cuts where they make equal parts
 * (quantileCuts); a part the counts say is empty joins the one before it, so the parts always cover
 * the whole range. The unit keeps the first part (its upper bound is lowered); new units for the
 * others are returned.
 */
async function cutUnit(ctx: ProjectContext, unit: WorkUnit, pieces: number): Promise<WorkUnit[]> {
  const readBefore = unit.read;
  const from = unreadFrom(unit);
  const to = unit.query.toMs ?? floorMinute(Date.now()) + MINUTE_MS;
  if (from === null) return [];
  const steps = Math.min(pieces, Math.floor((to - from) / MINUTE_MS));
  if (steps < 2) return [];
  const points = [...new Set(Array.from({ length: steps - 1 }, (_, i) => floorMinute(from + ((i + 1) * (to - from)) / steps)))].filter(
    (at) => at > from && at < to,
  );
  const below = await Promise.all(points.map((at) => countIfAvailable(ctx, { projectKey: ctx.projectKey, fromMs: from, toMs: at })));
  if (below.includes(null)) return [];
  const remaining = unit.expected - readBefore;
  // Cuts the unit has read past meanwhile are dropped.
  const cuts = quantileCuts(from, to, points, below as number[], remaining, steps).filter(
    (cut) => unit.lastUpdatedMs === null || floorMinute(unit.lastUpdatedMs) + MINUTE_MS <= cut.at,
  );
  if (cuts.length === 0) return [];
  const parts: Array<{ fromMs: number; toMs: number | null; expected: number }> = [];
  let counted = 0;
  for (let i = 0; i <= cuts.length; i++) {
    const start = i === 0 ? from : cuts[i - 1]!.at;
    const end = i < cuts.length ? cuts[i]!.at : unit.query.toMs;
    // Approximate counts need not be monotonic: never let a part go negative.
    const upTo = i < cuts.length ? cuts[i]!.below : Math.max(remaining, counted);
    const expected = Math.max(0, upTo - counted);
    counted = Math.max(counted, upTo);
    const last = parts.at(-1);
    if (last && expected === 0) last.toMs = end;
    else parts.push({ fromMs: start, toMs: end, expected });
  }
  if (parts.length < 2) return [];
  const [own, ...others] = parts;
  // From the top down, each cut hands the range above it (up to the previous cut) to a new unit.
  const units = others.reverse().map((part): WorkUnit => ({
    sliceId: splitSlice(ctx.store, unit.sliceId!, part.fromMs),
    query: { projectKey: ctx.projectKey, fromMs: part.fromMs, toMs: part.toMs },
    expected: part.expected,
    read: 0,
    lastUpdatedMs: null,
    spanFromMs: part.fromMs,
    cutting: false,
  }));
  // What the unit read while the counts were asked lies in its own part.
  unit.query = { ...unit.query, toMs: own!.toMs };
  unit.expected = unit.read + Math.max(0, own!.expected - (unit.read - readBefore));
  return units.reverse();
}

/**
 * Runs a project's units through `schedule` (the run's worker pool). Whenever `idleWorkers()` says
 * workers would otherwise wait (checked after every page), the largest unit still open is cut
 * into that many more parts, read by those workers.
 */
export async function runUnits(
  ctx: ProjectContext,
  units: WorkUnit[],
  schedule: (job: () => Promise<void>) => Promise<void>,
  idleWorkers: () => number,
): Promise<void> {
  const open = new Set(units);
  const jobs: Array<Promise<void>> = [];
  let failure: { error: unknown } | null = null;
  const track = (job: Promise<void>) =>
    jobs.push(
      job.catch((error: unknown) => {
        failure ??= { error };
      }),
    );
  const read = (unit: WorkUnit) =>
    track(
      schedule(async () => {
        ctx.signal.throwIfAborted();
        await runUnit(ctx, unit, fill);
        open.delete(unit);
        fill();
      }),
    );
  function fill(): void {
    if (failure) return;
    const idle = idleWorkers();
    if (idle <= 0) return;
    const unit = largestToCut(ctx, open);
    if (!unit) return;
    unit.cutting = true;
    // The counts placing the cuts go out beside the unit's own requests; the project waits for them.
    track(
      cutUnit(ctx, unit, idle + 1)
        .then((parts) => {
          for (const part of parts) {
            open.add(part);
            read(part);
          }
        })
        .finally(() => {
          unit.cutting = false;
        }),
    );
  }
  for (const unit of units) read(unit);
  fill();
  // Jobs are added while others run: wait until every one of them, old and new, has finished (a
  // failing one stops its siblings through the project's signal).
  for (let i = 0; i < jobs.length; i++) await jobs[i];
  if (failure) throw (failure as { error: unknown }).error;
}
