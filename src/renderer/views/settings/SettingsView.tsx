/** Settings → Performance: every knob, live validation, the dry run, save (applies live), audit trail, recommendations. */
import { useState } from 'react';
import { useCall } from '../../api/useCall.ts';
import { LoadError } from '../../components/States.tsx';
import { Spinner } from '../../components/StatusBadge.tsx';
import { AuditTrail } from './AuditTrail.tsx';
import { PerformanceForm } from './PerformanceForm.tsx';

export function SettingsView() {
  const saved = useCall('getPerformanceConfig', {});
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <div data-testid="settings">
      <div className="page-head">
        <div>
          <h1>Settings</h1>
          <p className="page-sub">Performance of every sync. Changes apply to a running sync from its next request.</p>
        </div>
      </div>
      {notice && (
        <div className="alert alert-success" role="status" data-testid="settings-saved">
          {notice}
        </div>
      )}
      {saved.error && <LoadError what="the settings" message={saved.error} onRetry={saved.reload} />}
      {saved.data ? (
        <PerformanceForm
          key={`form:${JSON.stringify(saved.data)}`}
          saved={saved.data}
          onSaved={(message) => {
            setNotice(message);
            saved.reload();
          }}
        />
      ) : (
        !saved.error && <Spinner label="Loading the settings" />
      )}
      <AuditTrail key={`audit:${JSON.stringify(saved.data)}`} />
    </div>
  );
}
