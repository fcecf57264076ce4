/**
 * What each failure category means, in a few words for people: notifications and the tray say it
 * next to the category's name. One table, so every surface says the same.
 */
import type { ErrorCategory } from './model.ts';

export const CATEGORY_SUMMARIES: Record<ErrorCategory, string> = {
  Network: 'Jira could not be reached',
  Authentication: 'Jira rejected the credentials',
  Authorization: 'the account may not read this',
  Validation: 'Jira refused the request',
  Timeout: 'Jira answered too slowly',
  RateLimit: 'Jira asked to slow down',
  Server: 'Jira failed with a server error',
  Database: 'the local mirror could not be written',
  Cancelled: 'the sync was stopped',
  Integrity: 'the mirror does not hold every issue Jira reports',
};

/** "Authentication: Jira rejected the credentials" */
export function describeCategory(category: ErrorCategory): string {
  return `${category}: ${CATEGORY_SUMMARIES[category]}`;
}
