import { createContext, useContext } from 'react';
import { Button } from '../shared/components/button';
import { Checkbox } from '../shared/components/checkbox';
import { UserText } from '../shared/components/user-text';
import { displayText } from '../shared/format';

/**
 * Lists Jira's issue types again, after they could not be listed. The admin page, which
 * loads them, provides it; the settings form between the two need not carry it.
 */
export const IssueTypesRetry = createContext<(() => void) | null>(null);

/**
 * The scope's issue types, as checkboxes of the names Jira knows (none checked: every
 * type). A saved name Jira no longer knows stays listed, checked, so it can be removed;
 * if the names cannot be listed, the saved ones still show and can be unchecked.
 */
export function IssueTypePicker({
  names,
  selected,
  onChange,
  disabled,
  error,
  loadError,
}: {
  names: string[];
  selected: string[];
  onChange: (names: string[]) => void;
  disabled: boolean;
  error: string | null;
  loadError: string | null;
}) {
  const retry = useContext(IssueTypesRetry);
  const chosen = new Set(selected.map((s) => s.toLowerCase()));
  const known = new Set(names.map((n) => n.toLowerCase()));
  const missing = selected.filter((s) => !known.has(s.toLowerCase()));
  const set = (name: string, on: boolean) => {
    const rest = selected.filter((s) => s.toLowerCase() !== name.toLowerCase());
    onChange(on ? [...rest, name] : rest);
  };
  const help = selected.length === 0 ? 'Every issue type is analysed. Check some to analyse only those.' : `Only ${selected.length === 1 ? 'this type is' : `these ${selected.length} types are`} analysed.`;
  return (
    <fieldset className="dd-field" style={{ border: 0, padding: 0, margin: 'var(--ds-space-100, 8px) 0 0' }} aria-describedby={error ? 'issue-types-error' : 'issue-types-help'} data-testid="issue-types">
      <legend className="dd-label" id="issue-types" tabIndex={-1}>
        Issue types
      </legend>
      <span className="dd-help" id="issue-types-help" data-testid="issue-types-help">
        {help}
      </span>
      {loadError ? (
        <span className="dd-help" data-testid="issue-types-load-error">
          Jira&rsquo;s issue types could not be listed ({displayText(loadError, 120)}); the saved ones are shown.
          {retry ? (
            <>
              {' '}
              <Button appearance="link" onClick={retry} data-testid="issue-types-retry">
                Try again
              </Button>
            </>
          ) : null}
        </span>
      ) : null}
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 'var(--ds-space-050, 4px) var(--ds-space-200, 16px)', padding: '2px' }}>
        {names.map((n) => (
          <Checkbox key={n} label={<UserText text={n} max={60} />} checked={chosen.has(n.toLowerCase())} onChange={(on) => set(n, on)} disabled={disabled} testId={`issue-type-${n}`} />
        ))}
        {missing.map((n) => (
          <Checkbox
            key={`missing-${n}`}
            label={
              <>
                <UserText text={n} max={60} /> {loadError ? null : <span className="dd-subtlest">(not found in Jira)</span>}
              </>
            }
            checked
            onChange={(on) => set(n, on)}
            disabled={disabled}
            testId={`issue-type-${n}`}
          />
        ))}
      </div>
      {error ? (
        <span className="dd-field-error" id="issue-types-error" data-testid="issue-types-error">
          {error}
        </span>
      ) : null}
    </fieldset>
  );
}
