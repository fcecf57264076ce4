/** An issue as the engine hands it to the issue writer: project CORE, key CORE-n, only the text varying. */
import type { MirrorIssue } from '../../src/store/issues.ts';

export function mirrorIssue(n: number, text: { summary: string; description: string; contentHash?: string }): MirrorIssue {
  return {
    id: String(n),
    key: `CORE-${n}`,
    projectKey: 'CORE',
    summary: text.summary,
    description: text.description,
    status: 'To Do',
    statusCategory: null,
    issueType: 'Bug',
    priority: null,
    assignee: null,
    reporter: null,
    created: null,
    updatedMs: 1_700_000_000_000 + n,
    resolution: null,
    labels: '[]',
    raw: Buffer.from(`{"id":"${n}"}`),
    contentHash: text.contentHash ?? `${text.summary}|${text.description}`,
  };
}
