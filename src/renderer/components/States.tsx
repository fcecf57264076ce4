/** Loading, error and empty states, the same on every view. */
import type { ReactNode } from 'react';
import { EmptyIcon } from './Icons.tsx';

export function LoadError({ what, message, onRetry }: { what: string; message: string; onRetry?: () => void }) {
  return (
    <div className="alert alert-error" role="alert" data-testid="load-error">
      <strong>Could not load {what}.</strong> {message}{' '}
      {onRetry && (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** An action's failure, where the action is. */
export function ErrorAlert({ message, testId }: { message: string | null; testId?: string }) {
  if (!message) return null;
  return (
    <div className="alert alert-error" role="alert" data-testid={testId}>
      {message}
    </div>
  );
}

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty" data-testid="empty-state">
      <EmptyIcon />
      <h2>{title}</h2>
      {children && <p>{children}</p>}
      {action}
    </div>
  );
}

export function StatCard({
  label,
  value,
  sub,
  testId,
  tone,
}: {
  label: string;
  value: ReactNode;
  sub?: ReactNode;
  testId?: string;
  tone?: 'danger' | 'ok';
}) {
  return (
    <div className={`stat${tone ? ` stat-${tone}` : ''}`} data-testid={testId}>
      <span className="stat-label">{label}</span>
      <span className="stat-value" data-testid={testId ? `${testId}-value` : undefined}>
        {value}
      </span>
      {sub && <span className="stat-sub">{sub}</span>}
    </div>
  );
}
