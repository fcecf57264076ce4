import type { RunDetail } from '../../../shared/model.ts';
import { EmptyState } from '../../components/States.tsx';
import { groupErrors } from './runDetailModel.ts';

/** Failures grouped by category, each group with what to do next; messages are the engine's sanitized ones. */
export function ErrorsTab({ run }: { run: RunDetail }) {
  const groups = groupErrors(run);
  if (groups.length === 0) return <EmptyState title="No errors">Every project of this run finished without an error.</EmptyState>;
  return (
    <div className="error-groups">
      {groups.map((group) => (
        <section
          key={group.category}
          className="card card-padded error-group"
          data-testid="error-group"
          data-category={group.category}
          aria-labelledby={`errors-${group.category}`}
        >
          <h2 id={`errors-${group.category}`}>
            <span className="category">{group.category}</span> {group.failures.length}{' '}
            {group.failures.length === 1 ? 'failure' : 'failures'}
          </h2>
          <p className="advice" data-testid="error-advice">
            {group.advice}
          </p>
          <ul className="error-list">
            {group.failures.map((failure, i) => (
              <li key={i}>
                <span className="mono strong">{failure.scope}</span> <span className="error-message">{failure.message}</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
