/** Reading Jira's values: its timestamps, and descriptions as plain text. */

/** The fields a sync requests: everything the mirror's columns need, plus the navigable rest for raw_json. */
export const SEARCH_FIELDS = ['*navigable'];

/** Jira timestamps look like `2022-03-20T06:21:50.295+0530`; returns epoch ms or NaN. */
export function parseJiraInstant(value: unknown): number {
  if (typeof value !== 'string') return Number.NaN;
  return Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
