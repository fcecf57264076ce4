import { useEffect, useState, type FormEvent } from 'react';
import type { PerformanceConfig, SyncEstimate } from '../../../shared/model.ts';
import { DEFAULT_PERFORMANCE_CONFIG, PERFORMANCE_KEYS } from '../../../shared/performanceSettings.ts';
import { ApiCallError, errorMessage } from '../../api/errors.ts';
import { callApi } from '../../api/useCall.ts';
import { Spinner } from '../../components/StatusBadge.tsx';
import { DryRunPanel } from './DryRunPanel.tsx';
import { RecommendationList } from './RecommendationList.tsx';
import { SettingField } from './SettingField.tsx';
import { changedKeys, fieldErrors, fromDraft, toDraft, type Draft } from './settingsModel.ts';

const VALIDATE_DEBOUNCE_MS = 300;

export function PerformanceForm({ saved, onSaved }: { saved: PerformanceConfig; onSaved: (notice: string) => void }) {
  const [draft, setDraft] = useState<Draft>(() => toDraft(saved));
  const [errors, setErrors] = useState<ReturnType<typeof fieldErrors>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [proposed, setProposed] = useState<SyncEstimate | null>(null);
  const [probe, setProbe] = useState(false);
  const [testing, setTesting] = useState(false);
  const [saving, setSaving] = useState(false);
  const changed = changedKeys(draft, saved);
  const hasErrors = Object.keys(errors).length > 0;

  // Every edit is checked by the back end (the contract's own messages) and priced by the dry run.
  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(() => {
      callApi('estimateSync', { config: fromDraft(draft), probe: false }).then(
        (estimate) => {
          if (cancelled) return;
          setErrors({});
          setProposed(estimate);
        },
        (error: unknown) => {
          if (cancelled) return;
          if (error instanceof ApiCallError && error.code === 'VALIDATION') setErrors(fieldErrors(error.fields));
          else setFormError(errorMessage(error));
        },
      );
    }, VALIDATE_DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [draft]);

  function edit(patch: Partial<Draft>) {
    setFormError(null);
    setDraft((current) => ({ ...current, ...patch }));
  }

  async function testConfiguration() {
    setTesting(true);
    setFormError(null);
    try {
      setProposed(await callApi('estimateSync', { config: fromDraft(draft), probe }));
    } catch (error) {
      if (error instanceof ApiCallError && error.code === 'VALIDATION') setErrors(fieldErrors(error.fields));
      else setFormError(errorMessage(error));
    } finally {
      setTesting(false);
    }
  }

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaving(true);
    setFormError(null);
    try {
      await callApi('savePerformanceConfig', { config: fromDraft(draft) });
      onSaved(
        `Saved ${changed.length} ${changed.length === 1 ? 'setting' : 'settings'}. A running sync uses them from its next request (concurrency from its next project).`,
      );
    } catch (error) {
      if (error instanceof ApiCallError && error.code === 'VALIDATION') {
        setErrors(fieldErrors(error.fields));
        setFormError(error.message);
      } else setFormError(errorMessage(error));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form
      className="settings-grid"
      onSubmit={(e) => void save(e)}
      noValidate
      data-testid="performance-form"
      aria-label="Performance settings"
    >
      <section className="card card-padded settings-fields" aria-labelledby="perf-title">
        <h2 id="perf-title">Performance</h2>
        {PERFORMANCE_KEYS.map((key) => (
          <SettingField
            key={key}
            name={key}
            value={draft[key]}
            saved={saved[key]}
            error={errors[key]}
            onChange={(value) => edit({ [key]: value })}
          />
        ))}
        {formError && (
          <div className="alert alert-error" role="alert" data-testid="settings-error">
            {formError}
          </div>
        )}
        <div className="form-actions form-actions-left">
          <button
            type="submit"
            className="btn btn-primary"
            disabled={saving || hasErrors || changed.length === 0}
            data-testid="save-settings"
          >
            {saving && <Spinner />} Save{changed.length > 0 ? ` (${changed.length} changed)` : ''}
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => edit(toDraft(saved))}
            disabled={changed.length === 0}
            data-testid="discard-settings"
          >
            Discard changes
          </button>
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => edit(toDraft(DEFAULT_PERFORMANCE_CONFIG))}
            data-testid="reset-defaults"
          >
            Reset to defaults
          </button>
        </div>
      </section>
      <div className="settings-side">
        <DryRunPanel
          saved={saved}
          proposed={proposed}
          probe={probe}
          onProbe={setProbe}
          testing={testing}
          disabled={hasErrors}
          onTest={() => void testConfiguration()}
        />
        <RecommendationList onApply={(change) => edit(toDraft({ ...fromDraft(draft), ...change }))} />
      </div>
    </form>
  );
}
