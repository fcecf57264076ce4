import { useId } from 'react';
import { INITIATORS, RUN_STATUSES, type Instance } from '../../../shared/model.ts';
import { STATUS_LABELS } from '../../lib/format.ts';
import type { HistoryState } from './historyParams.ts';

type Update = (patch: Record<string, string | undefined>, options?: { replace?: boolean }) => void;

export function HistoryFilters({
  state,
  params,
  instances,
  update,
}: {
  state: HistoryState;
  params: Record<string, string>;
  instances: Instance[];
  update: Update;
}) {
  const ids = { status: useId(), from: useId(), to: useId(), instance: useId(), by: useId() };
  return (
    <div className="toolbar" role="search" aria-label="Filter runs">
      <div className="field-inline">
        <label htmlFor={ids.status}>Status</label>
        <select
          id={ids.status}
          value={params.status ?? ''}
          onChange={(e) => update({ status: e.target.value })}
          data-testid="status-filter"
        >
          <option value="">All statuses</option>
          {RUN_STATUSES.map((status) => (
            <option key={status} value={status}>
              {STATUS_LABELS[status]}
            </option>
          ))}
        </select>
      </div>
      <div className="field-inline">
        <label htmlFor={ids.instance}>Instance</label>
        <select
          id={ids.instance}
          value={params.instance ?? ''}
          onChange={(e) => update({ instance: e.target.value })}
          data-testid="instance-filter"
        >
          <option value="">All instances</option>
          {instances.map((instance) => (
            <option key={instance.id} value={instance.name}>
              {instance.name}
            </option>
          ))}
          {params.instance && !instances.some((i) => i.name === params.instance) && (
            <option value={params.instance}>{params.instance} (removed)</option>
          )}
        </select>
      </div>
      <div className="field-inline">
        <label htmlFor={ids.by}>Started by</label>
        <select id={ids.by} value={params.by ?? ''} onChange={(e) => update({ by: e.target.value })} data-testid="initiator-filter">
          <option value="">Anyone</option>
          {INITIATORS.map((by) => (
            <option key={by} value={by}>
              {by}
            </option>
          ))}
        </select>
      </div>
      <div className="field-inline">
        <label htmlFor={ids.from}>From</label>
        <input
          id={ids.from}
          type="date"
          value={state.fromDay}
          max={state.toDay || undefined}
          onChange={(e) => update({ from: e.target.value }, { replace: true })}
          data-testid="date-from"
        />
      </div>
      <div className="field-inline">
        <label htmlFor={ids.to}>To</label>
        <input
          id={ids.to}
          type="date"
          value={state.toDay}
          min={state.fromDay || undefined}
          onChange={(e) => update({ to: e.target.value }, { replace: true })}
          data-testid="date-to"
        />
      </div>
      {(state.filtered || state.rangeError) && (
        <button
          type="button"
          className="btn btn-ghost"
          onClick={() => update({ status: undefined, from: undefined, to: undefined, instance: undefined, by: undefined })}
          data-testid="clear-filters"
        >
          Clear filters
        </button>
      )}
    </div>
  );
}
