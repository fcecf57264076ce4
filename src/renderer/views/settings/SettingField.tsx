import { useId } from 'react';
import { PERFORMANCE_SETTINGS, settingName, type PerformanceKey } from '../../../shared/performanceSettings.ts';

/** One setting: slider and number (or a switch), its range, unit and default, its explanation and its error. */
export function SettingField({
  name,
  value,
  saved,
  error,
  onChange,
}: {
  name: PerformanceKey;
  value: string | boolean;
  saved: number | boolean;
  error: string | undefined;
  onChange: (value: string | boolean) => void;
}) {
  const id = useId();
  const setting = PERFORMANCE_SETTINGS[name];
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = error ? `${hintId} ${errorId}` : hintId;
  const label = settingName(name);
  if (setting.kind === 'boolean') {
    return (
      <div className="setting" data-testid={`setting-${label}`}>
        <label className="setting-switch">
          <input type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} aria-describedby={describedBy} />
          <span className="mono">{label}</span>
        </label>
        <p className="hint" id={hintId}>
          {setting.explanation} Default: {setting.default ? 'on' : 'off'}.
        </p>
      </div>
    );
  }
  const number = Number(value);
  const changed = String(saved) !== value;
  // A slider over a huge range is useless: it covers the range up to 100× the default.
  const sliderMax = Math.min(setting.max, Math.max(setting.default * 100, setting.min + 10));
  const step = setting.kind === 'integer' ? 1 : setting.max <= 60 ? 0.1 : 1;
  return (
    <div className={`setting${error ? ' setting-invalid' : ''}${changed ? ' setting-changed' : ''}`} data-testid={`setting-${label}`}>
      <label htmlFor={id} className="mono">
        {label}
      </label>
      <div className="setting-inputs">
        <input
          type="range"
          min={setting.min}
          max={sliderMax}
          step={step}
          value={Number.isFinite(number) ? Math.min(number, sliderMax) : setting.default}
          onChange={(e) => onChange(e.target.value)}
          aria-label={`${label} slider`}
          aria-describedby={describedBy}
          tabIndex={-1}
        />
        <input
          id={id}
          type="text"
          inputMode="decimal"
          value={value as string}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          className="setting-number"
          data-testid={`input-${label}`}
        />
        <span className="unit">{setting.unit}</span>
      </div>
      <p className="hint" id={hintId}>
        {setting.explanation} Range {setting.min}–{setting.max}, default {setting.default}.
      </p>
      {error && (
        <p className="field-error" id={errorId} role="alert" data-testid={`error-${label}`}>
          {error}
        </p>
      )}
    </div>
  );
}
