import { useEffect, useId, useState } from 'react';
import type { Instance, InstanceMirror } from '../../../shared/model.ts';
import type { IssueFacets } from '../../../shared/issues.ts';
import { UNASSIGNED } from './issueParams.ts';

type Update = (patch: Record<string, string | undefined>, options?: { replace?: boolean }) => void;

const SEARCH_DEBOUNCE_MS = 250;

export function IssueFilters({
  params,
  instances,
  mirrors,
  facets,
  update,
}: {
  params: Record<string, string>;
  instances: Instance[];
  mirrors: InstanceMirror[] | null;
  facets: IssueFacets | null;
  update: Update;
}) {
  const ids = {
    q: useId(),
    instance: useId(),
    project: useId(),
    status: useId(),
    type: useId(),
    assignee: useId(),
    from: useId(),
    to: useId(),
  };
  const [text, setText] = useState(params.q ?? '');
  useEffect(() => {
    if (text === (params.q ?? '')) return;
    const timer = setTimeout(() => update({ q: text, issue: undefined }, { replace: true }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, params.q, update]);
  const projects = [
    ...new Set(
      (mirrors ?? []).filter((m) => !params.instance || m.instance === params.instance).flatMap((m) => m.projects.map((p) => p.key)),
    ),
  ].sort();
  const select = (key: string) => (value: string) =>
    update({ [key]: value || undefined, ...(key === 'instance' ? { project: undefined } : {}) });
  return (
    <div className="toolbar toolbar-wrap" role="search" aria-label="Search issues">
      <div className="field-inline field-grow">
        <label htmlFor={ids.q}>Search</label>
        <input
          id={ids.q}
          type="search"
          value={text}
          placeholder="Key, summary or description"
          onChange={(e) => setText(e.target.value)}
          data-testid="issue-search"
          maxLength={200}
        />
      </div>
      <Select
        id={ids.instance}
        label="Instance"
        value={params.instance}
        onChange={select('instance')}
        testId="issue-instance"
        options={instances.map((i) => ({ value: i.name, label: i.name }))}
      />
      <Select
        id={ids.project}
        label="Project"
        value={params.project}
        onChange={select('project')}
        testId="issue-project"
        options={projects.map((key) => ({ value: key, label: key }))}
      />
      <Select
        id={ids.status}
        label="Status"
        value={params.status}
        onChange={select('status')}
        testId="issue-status"
        options={facetOptions(facets?.statuses)}
      />
      <Select
        id={ids.type}
        label="Type"
        value={params.type}
        onChange={select('type')}
        testId="issue-type"
        options={facetOptions(facets?.issueTypes)}
      />
      <Select
        id={ids.assignee}
        label="Assignee"
        value={params.assignee}
        onChange={select('assignee')}
        testId="issue-assignee"
        options={(facets?.assignees ?? []).map((f) => ({ value: f.value ?? UNASSIGNED, label: `${f.value ?? 'Unassigned'} (${f.count})` }))}
      />
      <div className="field-inline">
        <label htmlFor={ids.from}>Updated from</label>
        <input
          id={ids.from}
          type="date"
          value={params.from ?? ''}
          onChange={(e) => update({ from: e.target.value }, { replace: true })}
          data-testid="issue-from"
        />
      </div>
      <div className="field-inline">
        <label htmlFor={ids.to}>to</label>
        <input
          id={ids.to}
          type="date"
          value={params.to ?? ''}
          onChange={(e) => update({ to: e.target.value }, { replace: true })}
          data-testid="issue-to"
        />
      </div>
    </div>
  );
}

function Select({
  id,
  label,
  value,
  onChange,
  options,
  testId,
}: {
  id: string;
  label: string;
  value: string | undefined;
  onChange: (value: string) => void;
  options: Array<{ value: string; label: string }>;
  testId: string;
}) {
  const known = value === undefined || options.some((o) => o.value === value);
  return (
    <div className="field-inline">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value ?? ''} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        <option value="">All</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
        {!known && <option value={value}>{value}</option>}
      </select>
    </div>
  );
}

/** A facet's values as options, each with its count. */
function facetOptions(values: ReadonlyArray<{ value: string; count: number }> | undefined) {
  return (values ?? []).map((f) => ({ value: f.value, label: `${f.value} (${f.count})` }));
}
