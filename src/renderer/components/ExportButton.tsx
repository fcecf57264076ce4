import { useState } from 'react';
import type { ExportFile } from '../../shared/operations.ts';
import { errorMessage } from '../api/errors.ts';
import { saveExportFile } from '../lib/download.ts';
import { Spinner } from './StatusBadge.tsx';

/** A button that asks the back end for a file (`exportCsv`, `createReport`) and offers it as a download; its error beside it. */
export function ExportButton({
  label,
  create,
  disabled,
  className = 'btn',
  testId,
}: {
  label: string;
  create: () => Promise<ExportFile>;
  disabled?: boolean;
  className?: string;
  testId: string;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function run() {
    setBusy(true);
    setError(null);
    try {
      saveExportFile(await create());
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <span className="export-button">
      <button type="button" className={className} onClick={() => void run()} disabled={busy || disabled} data-testid={testId}>
        {busy && <Spinner />} {label}
      </button>
      {error && (
        <span className="field-error" role="alert" data-testid={`${testId}-error`}>
          {error}
        </span>
      )}
    </span>
  );
}
