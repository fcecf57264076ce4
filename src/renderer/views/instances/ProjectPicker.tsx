import { useState } from 'react';
import type { Instance, ServerProject } from '../../../shared/model.ts';
import { errorMessage } from '../../api/errors.ts';
import { callApi, useCall } from '../../api/useCall.ts';
import { LoadError } from '../../components/States.tsx';
import { Spinner } from '../../components/StatusBadge.tsx';

/** Choose which of the server's projects to mirror: all of them (new ones included) or a chosen set. */
export function ProjectPicker({ instance, onDone, onCancel }: { instance: Instance; onDone: () => void; onCancel: () => void }) {
  const listed = useCall('listServerProjects', { name: instance.name });
  return listed.data ? (
    <Picker instance={instance} projects={listed.data} onDone={onDone} onCancel={onCancel} />
  ) : listed.error ? (
    <LoadError what="the server's projects" message={listed.error} onRetry={listed.reload} />
  ) : (
    <Spinner label="Asking Jira for its projects" />
  );
}

function Picker({
  instance,
  projects,
  onDone,
  onCancel,
}: {
  instance: Instance;
  projects: ServerProject[];
  onDone: () => void;
  onCancel: () => void;
}) {
  const [all, setAll] = useState(instance.projectKeys === null);
  const [chosen, setChosen] = useState(() => new Set(projects.filter((p) => p.selected).map((p) => p.key)));
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const toggle = (key: string) =>
    setChosen((current) => {
      const next = new Set(current);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  async function save() {
    setSaving(true);
    try {
      await callApi('selectProjects', { name: instance.name, projects: all ? null : [...chosen] });
      onDone();
    } catch (e) {
      setError(errorMessage(e));
      setSaving(false);
    }
  }

  return (
    <div className="form" data-testid="project-picker">
      <label className="checkbox">
        <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} data-testid="all-projects" /> Every project the
        server lists, new ones included
      </label>
      <fieldset className="project-choices" disabled={all}>
        <legend>
          {projects.length} projects on the server · {all ? projects.length : chosen.size} chosen
        </legend>
        {projects.map((p) => (
          <label key={p.key} className="checkbox">
            <input type="checkbox" checked={all || chosen.has(p.key)} onChange={() => toggle(p.key)} data-testid={`project-${p.key}`} />
            <span className="mono">{p.key}</span> {p.name}
          </label>
        ))}
      </fieldset>
      {error && (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      )}
      <div className="form-actions">
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="btn btn-primary" onClick={() => void save()} disabled={saving} data-testid="save-projects">
          {saving && <Spinner />} Save choice
        </button>
      </div>
    </div>
  );
}
