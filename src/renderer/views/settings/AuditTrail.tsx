import { useState } from 'react';
import { settingName } from '../../../shared/performanceSettings.ts';
import { useCall } from '../../api/useCall.ts';
import { Pagination } from '../../components/Pagination.tsx';
import { formatDateTime } from '../../lib/format.ts';

const AUDIT_PAGE = 10;

/** Who changed which setting when, before → after, newest first (the view remounts it after a save). */
export function AuditTrail() {
  const [page, setPage] = useState(0);
  const audit = useCall('getConfigAudit', { limit: AUDIT_PAGE, offset: page * AUDIT_PAGE });
  return (
    <section className="card card-padded" aria-labelledby="audit-title" data-testid="audit-trail">
      <h2 id="audit-title">Changes</h2>
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
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {audit.data.rows.map((entry) => (
                <tr key={entry.id} data-testid="audit-row">
                  <td className="nowrap">{formatDateTime(entry.changedAt)}</td>
                  <td>{entry.changedBy}</td>
                  <td>
                    {entry.changes.length === 0
                      ? 'saved unchanged'
                      : entry.changes.map((c) => (
                          <div key={c.key}>
                            <span className="mono">{settingName(c.key)}</span> {String(c.before)} → <strong>{String(c.after)}</strong>
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
            onPage={setPage}
          />
        </>
      )}
    </section>
  );
}
