import type { Run } from '../../../shared/model.ts';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { formatDateTime } from '../../lib/format.ts';

export function FailureList({ failures }: { failures: Run[] | null }) {
  return (
    <section className="card card-padded" aria-labelledby="failures-title" data-testid="failures">
      <div className="section-head">
        <h2 id="failures-title">Latest failures</h2>
        <a href="#/history?status=failed">All failed runs</a>
      </div>
      {failures === null ? (
        <p className="muted">Loading…</p>
      ) : failures.length === 0 ? (
        <p className="muted" data-testid="no-failures">
          No failed runs. Every recorded sync completed or was stopped on purpose.
        </p>
      ) : (
        <ul className="failure-list">
          {failures.map((run) => (
            <li key={run.id} data-testid="failure" data-run-id={run.id}>
              <a href={`#/runs/${run.id}/errors`} className="failure-link">
                <StatusBadge status={run.status} />
                {run.errorCategory && (
                  <span className="category" data-testid="failure-category">
                    {run.errorCategory}
                  </span>
                )}
                <time dateTime={run.startedAt}>{formatDateTime(run.startedAt)}</time>
              </a>
              {run.errorMessage && <p className="failure-message">{run.errorMessage}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
