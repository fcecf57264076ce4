import type { ConnectionTest } from '../../../shared/model.ts';

/** What a connection test found, or its failure category and message. */
export function ConnectionResult({ result }: { result: ConnectionTest }) {
  if (!result.ok) {
    return (
      <div className="alert alert-error" role="status" data-testid="connection-result" data-ok="false">
        <span className="category" data-testid="connection-category">
          {result.category}
        </span>
        {result.message}
      </div>
    );
  }
  return (
    <div className="alert alert-success" role="status" data-testid="connection-result" data-ok="true">
      <strong>Connected.</strong>
      <dl className="facts facts-inline">
        <dt>Deployment</dt>
        <dd data-testid="connection-deployment">{result.deploymentType}</dd>
        <dt>Version</dt>
        <dd>{result.version ?? '—'}</dd>
        <dt>User</dt>
        <dd data-testid="connection-user">
          {result.user}
          {result.email ? ` (${result.email})` : ''}
        </dd>
        <dt>Time zone</dt>
        <dd>{result.timeZone ?? '—'}</dd>
      </dl>
    </div>
  );
}
