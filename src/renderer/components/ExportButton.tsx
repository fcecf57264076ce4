import type { ExportFile } from '../../shared/operations.ts';
import { useAction } from '../api/useAction.ts';
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
  const action = useAction();
  async function run() {
    const file = await action.run(create);
    if (file) saveExportFile(file);
  }
  return (
    <span className="export-button">
      <button type="button" className={className} onClick={() => void run()} disabled={action.busy || disabled} data-testid={testId}>
        {action.busy && <Spinner />} {label}
      </button>
      {action.error && (
        <span className="field-error" role="alert" data-testid={`${testId}-error`}>
          {action.error}
        </span>
      )}
    </span>
  );
}
