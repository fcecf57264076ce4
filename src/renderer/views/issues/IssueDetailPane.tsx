import { useEffect, useRef } from 'react';
import { useCall } from '../../api/useCall.ts';
import { LoadError } from '../../components/States.tsx';
import { Spinner } from '../../components/StatusBadge.tsx';
import { formatDateTime } from '../../lib/format.ts';

/** One issue's fields as mirrored, and a link to it in Jira (opened in the system browser). */
export function IssueDetailPane({ issue, onClose }: { issue: { instance: string; id: string }; onClose: () => void }) {
  const detail = useCall('getIssue', issue);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), [issue.instance, issue.id]);
  const data = detail.data && !detail.stale ? detail.data : null;
  return (
    <aside className="card card-padded detail-pane" aria-label="Issue details" data-testid="issue-detail">
      <div className="section-head">
        <h2 className="mono">{data?.key ?? '…'}</h2>
        <button ref={closeRef} type="button" className="btn btn-ghost btn-icon" onClick={onClose} aria-label="Close issue details">
          ×
        </button>
      </div>
      {detail.error && <LoadError what="the issue" message={detail.error} />}
      {!data && !detail.error && <Spinner label="Loading the issue" />}
      {data && (
        <>
          <p className="issue-summary" data-testid="issue-detail-summary">
            {data.summary}
          </p>
          <dl className="facts">
            <dt>Status</dt>
            <dd>{data.status ?? '—'}</dd>
            <dt>Type</dt>
            <dd>{data.issueType ?? '—'}</dd>
            <dt>Priority</dt>
            <dd>{data.priority ?? '—'}</dd>
            <dt>Assignee</dt>
            <dd>{data.assignee ?? 'Unassigned'}</dd>
            <dt>Reporter</dt>
            <dd>{data.reporter ?? '—'}</dd>
            <dt>Resolution</dt>
            <dd>{data.resolution ?? 'Unresolved'}</dd>
            <dt>Created</dt>
            <dd>{data.created ? formatDateTime(data.created) : '—'}</dd>
            <dt>Updated</dt>
            <dd>{formatDateTime(data.updated)}</dd>
            <dt>Labels</dt>
            <dd>{data.labels.length > 0 ? data.labels.join(', ') : '—'}</dd>
            <dt>Instance</dt>
            <dd>
              {data.instance} · {data.projectKey}
            </dd>
          </dl>
          <h3>Description</h3>
          <p className="description" data-testid="issue-description">
            {data.description || <span className="muted">No description.</span>}
          </p>
          {data.url ? (
            <a className="btn" href={data.url} target="_blank" rel="noopener noreferrer" data-testid="issue-link">
              Open in Jira ↗
            </a>
          ) : (
            <p className="muted">The demo instance has no real Jira site to open.</p>
          )}
        </>
      )}
    </aside>
  );
}
