/** Settings → Performance: every knob, live validation, the dry run, save (applies live), its audit trail, recommendations. */
import { useState } from 'react';
import { useCall } from '../../api/useCall.ts';
import { LoadError } from '../../components/States.tsx';
import { Spinner } from '../../components/StatusBadge.tsx';
import { AuditTrail } from './AuditTrail.tsx';
import { PerformanceForm } from './PerformanceForm.tsx';

export function PerformanceSection({ onSaved }: { onSaved: (notice: string) => void }) {
  const saved = useCall('getPerformanceConfig', {});
  const [auditPage, setAuditPage] = useState(0);
  return (
    <>
      {saved.error && <LoadError what="the settings" message={saved.error} onRetry={saved.reload} />}
      {saved.data ? (
        <PerformanceForm
          key={`form:${JSON.stringify(saved.data)}`}
          saved={saved.data}
          onSaved={(message) => {
            onSaved(message);
            setAuditPage(0);
            saved.reload();
          }}
        />
      ) : (
        !saved.error && <Spinner label="Loading the settings" />
      )}
      <AuditTrail key={`audit:${JSON.stringify(saved.data)}`} type="performance" page={auditPage} onPage={setAuditPage} />
    </>
  );
}
