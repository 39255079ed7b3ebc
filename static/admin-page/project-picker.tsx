import { useMemo, useState } from 'react';
import { Checkbox } from '../shared/components/checkbox';
import { UserText } from '../shared/components/user-text';

export interface ProjectOption {
  id: string;
  key: string;
  name: string;
}

/**
 * Multi-select for projects in scope: a filter box over a checkbox list, which
 * works with keyboard and screen readers where a <select multiple> is awkward.
 */
export function ProjectPicker({
  projects,
  selected,
  onChange,
  disabled,
  error,
}: {
  projects: ProjectOption[];
  selected: string[];
  onChange: (keys: string[]) => void;
  disabled: boolean;
  error: string | null;
}) {
  const [filter, setFilter] = useState('');
  const known = useMemo(() => new Set(projects.map((p) => p.key)), [projects]);
  // Keys saved earlier whose project is gone or hidden from this user stay visible, so they can be removed.
  const missing = selected.filter((k) => !known.has(k));
  const q = filter.trim().toLowerCase();
  const shown = q ? projects.filter((p) => p.key.toLowerCase().includes(q) || p.name.toLowerCase().includes(q)) : projects;
  const set = (key: string, on: boolean) => onChange(on ? [...selected.filter((k) => k !== key), key] : selected.filter((k) => k !== key));
  return (
    <fieldset className="dd-field" style={{ border: 0, padding: 0, margin: 0 }} aria-describedby={error ? 'projects-error' : 'projects-help'} data-testid="projects-field">
      <legend className="dd-label">Projects in scope</legend>
      <span className="dd-help" id="projects-help">
        {selected.length === 0 ? 'No project is analysed until you choose at least one.' : `${selected.length} selected.`}
      </span>
      {projects.length > 8 ? (
        <input className="dd-input" type="search" aria-label="Filter projects" placeholder="Filter projects" value={filter} onChange={(e) => setFilter(e.target.value)} disabled={disabled} style={{ maxWidth: 320 }} data-testid="projects-filter" />
      ) : null}
      <div style={{ maxHeight: 220, overflowY: 'auto', display: 'grid', gap: 'var(--ds-space-050, 4px)', padding: '2px' }}>
        {shown.map((p) => (
          <Checkbox
            key={p.id}
            label={
              <>
                <strong>{p.key}</strong> <UserText text={p.name} max={80} />
              </>
            }
            checked={selected.includes(p.key)}
            onChange={(on) => set(p.key, on)}
            disabled={disabled}
            testId={`project-${p.key}`}
          />
        ))}
        {missing.map((k) => (
          <Checkbox key={k} label={<>{k} <span className="dd-subtlest">(not found or not visible to you)</span></>} checked onChange={(on) => set(k, on)} disabled={disabled} testId={`project-${k}`} />
        ))}
        {shown.length === 0 && missing.length === 0 ? <span className="dd-help">No projects match.</span> : null}
      </div>
      {error ? (
        <span className="dd-field-error" id="projects-error" data-testid="projects-error">
          {error}
        </span>
      ) : null}
    </fieldset>
  );
}
