/** The issue browser's state in the URL, read into the contract's search input. Pure. */
import type { CallInput } from '../../../shared/contract.ts';
import { ISSUE_SORT_KEYS } from '../../../shared/issues.ts';
import { dayEndIso, dayStartIso } from '../../lib/format.ts';
import { intParam, oneOf } from '../../lib/router.ts';

export const ISSUE_PAGE_SIZE = 50;
/** The assignee filter's value for "nobody" (the contract's empty string cannot live in a URL param). */
export const UNASSIGNED = '~none';

export function issueSearch(params: Record<string, string>): CallInput<'searchIssues'> {
  const search: CallInput<'searchIssues'> = { limit: ISSUE_PAGE_SIZE, offset: intParam(params.page, 0) * ISSUE_PAGE_SIZE };
  if (params.q?.trim()) search.text = params.q.trim();
  if (params.instance) search.instance = params.instance;
  if (params.project) search.project = params.project;
  if (params.status) search.status = params.status;
  if (params.type) search.issueType = params.type;
  if (params.assignee) search.assignee = params.assignee === UNASSIGNED ? '' : params.assignee;
  const from = dayStartIso(params.from ?? '');
  const to = dayEndIso(params.to ?? '');
  if (from) search.updatedFrom = from;
  if (to) search.updatedTo = to;
  const sort = oneOf(params.sort, ISSUE_SORT_KEYS);
  if (sort) search.sort = sort;
  search.order = oneOf(params.order, ['asc', 'desc'] as const, 'desc');
  return search;
}

/** The selected issue (`issue=<instance>:<id>`), if any. */
export function selectedIssue(params: Record<string, string>): { instance: string; id: string } | null {
  const match = /^(.+):(\d+)$/.exec(params.issue ?? '');
  return match ? { instance: match[1]!, id: match[2]! } : null;
}

/** The same search as the Issues view's CSV export: every matching issue, not one page. */
export function issueExport(search: CallInput<'searchIssues'>): CallInput<'exportCsv'> {
  const { limit: _limit, offset: _offset, ...filters } = search;
  return { kind: 'issues', ...filters };
}
