import { useId } from 'react';
import { snakeName, type SettingSpec } from '../../../shared/settings.ts';

/** One setting of a settings table (retention, metrics): a number with its unit and range, a switch, or text; its message below. */
export function TableField({
  name,
  spec,
  label,
  value,
  error,
  onChange,
}: {
  name: string;
  spec: SettingSpec;
  /** What people call it; the snake_case name (as in the CLI) is shown beside it. */
  label: string;
  value: string | boolean;
  error: string | undefined;
  onChange: (value: string | boolean) => void;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = error ? `${hintId} ${errorId}` : hintId;
  const cli = snakeName(name);
  const hint =
    spec.kind === 'integer'
      ? `${spec.explanation} Range ${spec.min}–${spec.max}, default ${spec.default}.`
      : spec.kind === 'boolean'
        ? `${spec.explanation} Default: ${spec.default ? 'on' : 'off'}.`
        : `${spec.explanation} Default: ${spec.default}.`;
  return (
    <div className={`setting${error ? ' setting-invalid' : ''}`} data-testid={`field-${cli}`}>
      {spec.kind === 'boolean' ? (
        <label className="setting-switch">
          <input type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} aria-describedby={describedBy} />
          {label} <span className="mono sub">{cli}</span>
        </label>
      ) : (
        <>
          <label htmlFor={id}>
            {label} <span className="mono sub">{cli}</span>
          </label>
          <div className="setting-inputs">
            <input
              id={id}
              type="text"
              inputMode={spec.kind === 'integer' ? 'numeric' : 'text'}
              value={value as string}
              onChange={(e) => onChange(e.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={describedBy}
              className={spec.kind === 'integer' ? 'setting-number' : undefined}
              spellCheck={false}
              data-testid={`input-${cli}`}
            />
            {spec.kind === 'integer' && <span className="unit">{spec.unit}</span>}
          </div>
        </>
      )}
      <p className="hint" id={hintId}>
        {hint}
      </p>
      {error && (
        <p className="field-error" id={errorId} role="alert" data-testid={`error-${cli}`}>
          {error}
        </p>
      )}
    </div>
  );
}
