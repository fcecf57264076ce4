import type { ProjectStatus, RunStatus } from '../../shared/model.ts';
import { STATUS_LABELS } from '../lib/format.ts';

export function StatusBadge({ status }: { status: RunStatus | ProjectStatus | 'queued' }) {
  const label = status === 'queued' ? 'Queued' : STATUS_LABELS[status];
  return (
    <span className={`badge badge-${status}`} data-testid="status-badge">
      <span className="badge-dot" aria-hidden="true" />
      {label}
    </span>
  );
}

export function Spinner({ label }: { label?: string }) {
  return <span className="spinner" role={label ? 'status' : undefined} aria-label={label} aria-hidden={label ? undefined : true} />;
}
