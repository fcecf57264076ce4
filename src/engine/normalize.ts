/**
 * Turns one page of Jira search results into store-ready issues, validating the whole page first:
 * a page with any malformed issue is rejected as a whole, so nothing of it is written.
 */
import { hash } from 'node:crypto';
import type { NormalizedIssue } from '../store/issues.ts';
import { SyncError } from './errors.ts';

/** The fields a sync requests: everything the mirror's columns need, plus the navigable rest for raw_json. */
export const SEARCH_FIELDS = ['*navigable'];

/** Fields that change without the issue changing (per-user view times): not stored, not hashed. */
const VOLATILE_FIELDS = new Set(['lastViewed']);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nameOf(value: unknown): string | null {
  if (!isObject(value)) return null;
  const name = value.displayName ?? value.name ?? value.value;
  return typeof name === 'string' ? name : null;
}

/** Jira timestamps look like `2022-03-20T06:21:50.295+0530`; returns epoch ms or NaN. */
export function parseJiraInstant(value: unknown): number {
  if (typeof value !== 'string') return Number.NaN;
  return Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

/** A description as plain text for search: Data Center's wiki markup as is, Cloud's ADF tree by its text nodes. */
export function descriptionText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (!isObject(value)) return '';
  const parts: string[] = [];
  const visit = (node: unknown): void => {
    if (!isObject(node)) return;
    if (typeof node.text === 'string') parts.push(node.text);
    if (Array.isArray(node.content)) for (const child of node.content) visit(child);
  };
  visit(value);
  return parts.join(' ');
}

export function normalizeIssue(raw: unknown, index: number): NormalizedIssue {
  const where = `issue #${index + 1} of the page`;
  if (!isObject(raw)) throw new SyncError('Validation', `Jira sent a malformed search page: ${where} is not an object`);
  const { id, key, fields } = raw;
  if (typeof id !== 'string' || !/^\d+$/.test(id))
    throw new SyncError('Validation', `Jira sent a malformed search page: ${where} has no numeric id`);
  if (typeof key !== 'string' || !/^[A-Z][A-Z0-9_]*-\d+$/.test(key)) {
    throw new SyncError('Validation', `Jira sent a malformed search page: ${where} (id ${id}) has no valid key`);
  }
  if (!isObject(fields)) throw new SyncError('Validation', `Jira sent a malformed search page: ${key} has no fields`);
  const updatedMs = parseJiraInstant(fields.updated);
  if (!Number.isFinite(updatedMs))
    throw new SyncError('Validation', `Jira sent a malformed search page: ${key} has no valid "updated" time`);
  const createdMs = parseJiraInstant(fields.created);
  const status = isObject(fields.status) ? fields.status : null;
  const project =
    isObject(fields.project) && typeof fields.project.key === 'string' ? fields.project.key : key.slice(0, key.lastIndexOf('-'));
  // Volatile fields are dropped from the stored copy too, so one serialization serves both the
  // raw_json column and the content hash.
  for (const name of VOLATILE_FIELDS) delete fields[name];
  const rawJson = JSON.stringify(raw);
  return {
    id,
    key,
    projectKey: project,
    summary: typeof fields.summary === 'string' ? fields.summary : '',
    description: descriptionText(fields.description),
    status: nameOf(status),
    statusCategory:
      status && isObject(status.statusCategory) && typeof status.statusCategory.key === 'string' ? status.statusCategory.key : null,
    issueType: nameOf(fields.issuetype),
    priority: nameOf(fields.priority),
    assignee: nameOf(fields.assignee),
    reporter: nameOf(fields.reporter),
    created: Number.isFinite(createdMs) ? new Date(createdMs).toISOString() : null,
    updated: new Date(updatedMs).toISOString(),
    updatedMs,
    resolution: nameOf(fields.resolution),
    labels: Array.isArray(fields.labels) ? fields.labels.filter((l): l is string => typeof l === 'string') : [],
    rawJson,
    contentHash: hash('sha1', rawJson, 'base64url'),
  };
}

export function normalizePage(issues: unknown): NormalizedIssue[] {
  if (!Array.isArray(issues)) throw new SyncError('Validation', 'Jira sent a malformed search page: "issues" is not a list');
  return issues.map(normalizeIssue);
}
