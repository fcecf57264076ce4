import { CONFIG_TYPES, type ConfigType } from '../../../shared/operations.ts';
import { useCall } from '../../api/useCall.ts';
import { Pagination } from '../../components/Pagination.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { auditValue } from './auditModel.ts';

export const AUDIT_PAGE = 10;

const TYPE_LABELS: Record<ConfigType, string> = {
  performance: 'Performance',
  retention: 'Retention',
  metrics: 'Metrics endpoint',
  webhooks: 'Webhooks',
  schedule: 'Schedule',
};

/**
 * Who changed which configuration when, why (app, cli, preview; a recommendation) and before → after,
 * newest first. With `onType`, every configuration with a filter; otherwise only `type`'s.
 */
export function AuditTrail({
  type,
  page,
  onPage,
  onType,
}: {
  type?: ConfigType;
  page: number;
  onPage: (page: number) => void;
  onType?: (type: ConfigType | undefined) => void;
}) {
  const audit = useCall('getConfigHistory', { ...(type ? { type } : {}), limit: AUDIT_PAGE, offset: page * AUDIT_PAGE });
  return (
    <section className="card card-padded" aria-labelledby="audit-title" data-testid="audit-trail">
      <div className="section-head">
        <h2 id="audit-title">Changes</h2>
        {onType && (
          <div className="field-inline">
            <label htmlFor="audit-type">Configuration</label>
            <select
              id="audit-type"
              value={type ?? ''}
              onChange={(e) => onType((e.target.value || undefined) as ConfigType | undefined)}
              data-testid="audit-type"
            >
              <option value="">All</option>
              {CONFIG_TYPES.map((t) => (
                <option key={t} value={t}>
                  {TYPE_LABELS[t]}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      {!audit.data ? (
        <p className="muted">{audit.error ?? 'Loading…'}</p>
      ) : audit.data.total === 0 ? (
        <p className="muted">No change yet: the defaults are in force.</p>
      ) : (
        <>
          <table className="compact audit">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">By</th>
                {onType && <th scope="col">Configuration</th>}
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {audit.data.rows.map((entry) => (
                <tr key={entry.id} data-testid="audit-row" data-type={entry.configType}>
                  <td className="nowrap">{formatDateTime(entry.changedAt)}</td>
                  <td>
                    {entry.changedBy}
                    {entry.reason && (
                      <div className="sub" data-testid="audit-reason">
                        {entry.reason}
                      </div>
                    )}
                  </td>
                  {onType && <td>{TYPE_LABELS[entry.configType]}</td>}
                  <td>
                    {entry.changes.length === 0
                      ? 'saved unchanged'
                      : entry.changes.map((c) => (
                          <div key={c.setting}>
                            <span className="mono">{c.setting}</span> {auditValue(c.before)} → <strong>{auditValue(c.after)}</strong>
                          </div>
                        ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pagination
            offset={page * AUDIT_PAGE}
            shown={audit.data.rows.length}
            total={audit.data.total}
            pageSize={AUDIT_PAGE}
            onPage={onPage}
          />
        </>
      )}
    </section>
  );
}
