/** The history view's state in the URL: filters, sort and page, read into contract inputs. Pure. */
import type { CallInput } from '../../../shared/contract.ts';
import { INITIATORS, RUN_SORT_KEYS, RUN_STATUSES, type RunFilter } from '../../../shared/model.ts';
import { dayEndIso, dayStartIso } from '../../lib/format.ts';
import { intParam, oneOf } from '../../lib/router.ts';

export const PAGE_SIZE = 25;
const DAY_MS = 86_400_000;
/** The charts' span when no date range is chosen. */
export const DEFAULT_CHART_DAYS = 30;

export interface HistoryState {
  filter: RunFilter;
  /** The date inputs as typed (YYYY-MM-DD). */
  fromDay: string;
  toDay: string;
  sort: (typeof RUN_SORT_KEYS)[number];
  order: 'asc' | 'desc';
  page: number;
  /** "from" after "to": nothing is asked until it is fixed. */
  rangeError: string | null;
  filtered: boolean;
}

export function historyState(params: Record<string, string>): HistoryState {
  const fromDay = /^\d{4}-\d{2}-\d{2}$/.test(params.from ?? '') ? params.from! : '';
  const toDay = /^\d{4}-\d{2}-\d{2}$/.test(params.to ?? '') ? params.to! : '';
  const filter: RunFilter = {};
  const status = oneOf(params.status, RUN_STATUSES);
  const initiatedBy = oneOf(params.by, INITIATORS);
  if (status) filter.status = status;
  if (initiatedBy) filter.initiatedBy = initiatedBy;
  if (params.instance) filter.instance = params.instance;
  const from = dayStartIso(fromDay);
  const to = dayEndIso(toDay);
  if (from) filter.from = from;
  if (to) filter.to = to;
  return {
    filter,
    fromDay,
    toDay,
    sort: oneOf(params.sort, RUN_SORT_KEYS, 'startedAt'),
    order: oneOf(params.order, ['asc', 'desc'] as const, 'desc'),
    page: intParam(params.page, 0),
    rangeError: fromDay && toDay && fromDay > toDay ? 'The “from” date is after the “to” date.' : null,
    filtered: Object.keys(filter).length > 0,
  };
}

export function historyQuery(state: HistoryState): CallInput<'listRuns'> {
  return { ...state.filter, sort: state.sort, order: state.order, limit: PAGE_SIZE, offset: state.page * PAGE_SIZE };
}

/** The charts cover the chosen date range, or the last 30 days up to now (at most 400 days). */
export function trendQuery(state: HistoryState, nowMs: number, utcOffsetMinutes: number): CallInput<'getTrends'> {
  const { from, to, ...filter } = state.filter;
  const end = to ? Math.min(Date.parse(to), nowMs) : nowMs;
  const start = from ? Math.max(Date.parse(from), end - 400 * DAY_MS) : end - (DEFAULT_CHART_DAYS - 1) * DAY_MS;
  return { ...filter, from: new Date(Math.min(start, end)).toISOString(), to: new Date(end).toISOString(), utcOffsetMinutes };
}
