/** The mirrored issues as the issue browser reads them: search filters, pages, one issue's detail, facets. */
import type { SortOrder } from './model.ts';

export interface MirroredIssue {
  instance: string;
  id: string;
  key: string;
  projectKey: string;
  summary: string;
  status: string;
  updated: string;
}

export interface IssuePage {
  rows: MirroredIssue[];
  total: number;
}

export const ISSUE_SORT_KEYS = ['relevance', 'updated', 'created', 'key'] as const;
export type IssueSortKey = (typeof ISSUE_SORT_KEYS)[number];

/** The issue browser's filters; every one optional. */
export interface IssueSearch {
  /** Full text over key, summary and description (words match as prefixes). */
  text?: string;
  instance?: string;
  project?: string;
  status?: string;
  issueType?: string;
  /** An assignee's display name; the empty string finds unassigned issues. */
  assignee?: string;
  updatedFrom?: string;
  updatedTo?: string;
  sort?: IssueSortKey;
  order?: SortOrder;
  limit?: number;
  offset?: number;
}

export interface IssueRow {
  instance: string;
  id: string;
  key: string;
  projectKey: string;
  summary: string;
  status: string | null;
  statusCategory: string | null;
  issueType: string | null;
  priority: string | null;
  assignee: string | null;
  updated: string;
}

export interface IssueSearchPage {
  rows: IssueRow[];
  total: number;
}

export interface IssueDetail extends IssueRow {
  reporter: string | null;
  created: string | null;
  resolution: string | null;
  labels: string[];
  /** Plain text (Cloud's rich text flattened, Data Center's wiki markup as written). */
  description: string;
  /** The issue in Jira; null for the demo instance, which has no real site. */
  url: string | null;
}

/** The values the issue filters can take, with how many live issues have each (in SQL). */
export interface IssueFacets {
  statuses: Array<{ value: string; count: number }>;
  issueTypes: Array<{ value: string; count: number }>;
  assignees: Array<{ value: string | null; count: number }>;
}
