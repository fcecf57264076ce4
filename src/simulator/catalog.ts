/**
 * The fixed vocabulary of the generated data: statuses and their categories, priorities, issue types,
 * labels, components, the words summaries and descriptions are drawn from, and the default projects.
 */

export interface StatusDef {
  id: string;
  name: string;
  description: string;
  cat: 'new' | 'indeterminate' | 'done';
}
export const STATUSES: readonly StatusDef[] = [
  { id: '10000', name: 'To Do', description: '', cat: 'new' },
  {
    id: '3',
    name: 'In Progress',
    description: 'This issue is being actively worked on at the moment by the assignee.',
    cat: 'indeterminate',
  },
  { id: '10001', name: 'In Review', description: '', cat: 'indeterminate' },
  { id: '10002', name: 'Done', description: '', cat: 'done' },
];
export const STATUS_CATEGORIES = {
  new: { id: 2, colorName: 'blue-gray', name: 'To Do' },
  indeterminate: { id: 4, colorName: 'yellow', name: 'In Progress' },
  done: { id: 3, colorName: 'green', name: 'Done' },
} as const;
export const PRIORITIES = ['Highest', 'High', 'Medium', 'Low', 'Lowest'] as const;
export interface IssueTypeDef {
  id: string;
  name: string;
  description: string;
  avatarId: number;
}
export const ISSUE_TYPES: readonly IssueTypeDef[] = [
  { id: '10001', name: 'Task', description: 'A small, distinct piece of work.', avatarId: 10318 },
  { id: '10004', name: 'Bug', description: 'A problem or error.', avatarId: 10303 },
  { id: '10002', name: 'Story', description: 'Functionality or a feature expressed as a user goal.', avatarId: 10315 },
  { id: '10000', name: 'Epic', description: 'A big user story that needs to be broken down.', avatarId: 10307 },
];
export const LABELS = ['backend', 'frontend', 'ux', 'performance', 'security', 'tech-debt', 'customer', 'regression', 'infra', 'docs'];
export const COMPONENTS = ['API', 'Web', 'Mobile', 'Database', 'Auth', 'Billing'];
export const VERBS = ['Fix', 'Add', 'Improve', 'Refactor', 'Investigate', 'Remove', 'Document', 'Migrate', 'Optimise', 'Support'];
export const OBJECTS = [
  'login timeout',
  'export to CSV',
  'search indexing',
  'dark mode',
  'webhook retries',
  'billing report',
  'session handling',
  'the onboarding flow',
  'rate-limit headers',
  'audit log',
  'PDF rendering',
  'SSO with Okta',
  'time-zone handling',
  'the "Save" button',
  'CJK input — 日本語',
  'Überweisung summary',
];
export const QUALIFIERS = [
  'on Safari',
  'for large projects',
  'after upgrade',
  'in the mobile app',
  'for admins',
  'under load',
  'when offline',
  'in Data Center',
  '',
];
export const WORDS =
  'the a user admin report page server request response cache index query field value project issue sprint board team release customer error timeout retry token page cursor update sync mirror database backup export import filter dashboard widget chart latency'.split(
    ' ',
  );
const PROJECT_NAMES = [
  ['DEMO', 'Demo Project'],
  ['OPS', 'Operations'],
  ['WEB', 'Web Platform'],
  ['API', 'Public API'],
  ['MOB', 'Mobile Apps'],
  ['DATA', 'Data Pipeline'],
  ['SEC', 'Security'],
  ['INFRA', 'Infrastructure'],
  ['QA', 'Quality Assurance'],
  ['DOCS', 'Documentation'],
  ['CRM', 'Customer Relations'],
  ['PAY', 'Payments'],
  ['SRCH', 'Search'],
  ['ML', 'Machine Learning'],
  ['UX', 'User Experience'],
] as const;

export function defaultProjects(count: number, issuesPerProject: number): Array<{ key: string; name: string; issues: number }> {
  const out: Array<{ key: string; name: string; issues: number }> = [];
  for (let i = 0; i < count; i++) {
    const pn = PROJECT_NAMES[i];
    out.push(
      pn
        ? { key: pn[0], name: pn[1], issues: issuesPerProject }
        : { key: `PRJ${i + 1}`, name: `Project ${i + 1}`, issues: issuesPerProject },
    );
  }
  return out;
}
