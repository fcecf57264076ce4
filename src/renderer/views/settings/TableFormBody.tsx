import type { SettingTable } from '../../../shared/settings.ts';
import { ErrorAlert } from '../../components/States.tsx';
import { Spinner } from '../../components/StatusBadge.tsx';
import { TableField } from './TableField.tsx';
import type { TableForm } from './useTableForm.ts';

/** Every field of a settings table, the form's error, and Save / Discard (the form element is the caller's). */
export function TableFormBody<T extends SettingTable>({
  table,
  labels,
  form,
  saveTestId,
}: {
  table: T;
  labels: Record<keyof T & string, string>;
  form: TableForm;
  saveTestId: string;
}) {
  const dirty = form.changed.length > 0;
  return (
    <>
      {(Object.keys(table) as Array<keyof T & string>).map((key) => (
        <TableField
          key={key}
          name={key}
          spec={table[key]!}
          label={labels[key]}
          value={form.draft[key]!}
          error={form.errors[key]}
          onChange={(value) => form.edit(key, value)}
        />
      ))}
      <ErrorAlert message={form.formError} />
      <div className="form-actions form-actions-left">
        <button type="submit" className="btn btn-primary" disabled={form.saving || !dirty} data-testid={saveTestId}>
          {form.saving && <Spinner />} Save{dirty ? ` (${form.changed.length} changed)` : ''}
        </button>
        <button type="button" className="btn" onClick={form.discard} disabled={!dirty}>
          Discard changes
        </button>
      </div>
    </>
  );
}
