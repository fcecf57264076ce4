import type { Instance } from '../../shared/model.ts';

export function Header({ instances, onAddInstance }: { instances: Instance[] | null; onAddInstance?: () => void }) {
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          JM
        </span>
        <span className="brand-name">Jira Mirror</span>
      </div>
      {instances && instances.length > 0 && (
        <ul className="instances" aria-label="Jira instances" data-testid="instance-list">
          {instances.map((instance) => (
            <li key={instance.id} className="instance-chip" title={instance.url}>
              <span className={`instance-dot flavor-${instance.flavor}`} aria-hidden="true" />
              {instance.name}
              {instance.isDemo && <span className="tag">demo</span>}
            </li>
          ))}
        </ul>
      )}
      <div className="header-spacer" />
      {onAddInstance && (
        <button type="button" className="btn btn-small" onClick={onAddInstance} data-testid="open-add-instance">
          + Add instance
        </button>
      )}
    </header>
  );
}
