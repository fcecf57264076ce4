/** The state of a settings-table form: the draft, what changed, and saving with the contract's per-field messages. */
import { useState } from 'react';
import type { SettingTable, SettingValues } from '../../../shared/settings.ts';
import { ApiCallError, errorMessage } from '../../api/errors.ts';
import { changedTableKeys, fromTableDraft, tableFieldErrors, toTableDraft, type TableDraft } from './tableDraft.ts';

export interface TableForm {
  draft: TableDraft;
  errors: Record<string, string>;
  formError: string | null;
  changed: string[];
  saving: boolean;
  edit(key: string, value: string | boolean): void;
  discard(): void;
  save(): Promise<boolean>;
}

export function useTableForm<T extends SettingTable>(
  table: T,
  saved: SettingValues<T>,
  /** The input field the values travel in (`policy`, `settings`), as the contract's messages name it. */
  prefix: string,
  write: (values: SettingValues<T>) => Promise<unknown>,
): TableForm {
  const [draft, setDraft] = useState<TableDraft>(() => toTableDraft(table, saved));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  return {
    draft,
    errors,
    formError,
    saving,
    changed: changedTableKeys(table, draft, saved),
    edit(key, value) {
      setDraft((current) => ({ ...current, [key]: value }));
      // The message belongs to the value it was about: editing clears it.
      setErrors(({ [key]: _cleared, ...rest }) => rest);
      setFormError(null);
    },
    discard() {
      setDraft(toTableDraft(table, saved));
      setErrors({});
      setFormError(null);
    },
    async save() {
      setSaving(true);
      setFormError(null);
      try {
        await write(fromTableDraft(table, draft));
        setErrors({});
        return true;
      } catch (error) {
        if (error instanceof ApiCallError && error.code === 'VALIDATION') {
          const byField = tableFieldErrors(table, error.fields, prefix);
          setErrors(byField);
          if (Object.keys(byField).length === 0) setFormError(error.message);
        } else setFormError(errorMessage(error));
        return false;
      } finally {
        setSaving(false);
      }
    },
  };
}
