import type { ReactElement, ReactNode } from 'react';
import { cloneElement } from 'react';

/**
 * Label, help and error around one control, wired with ids so a screen reader
 * reads all three with the control. The child must be a single input/select/textarea.
 */
export function FormField({
  id,
  label,
  help,
  error,
  status,
  children,
  testId,
}: {
  id: string;
  label: ReactNode;
  help?: ReactNode;
  error?: string | null;
  /**
   * What a check made of the value ("Jira accepts this JQL…"): a polite live region under
   * the control, part of its description, never of its name. `testId` names it.
   */
  status?: { text: string; testId: string };
  children: ReactElement<Record<string, unknown>>;
  testId?: string;
}) {
  const helpId = help ? `${id}-help` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const statusId = status && status.text !== '' ? `${id}-status` : undefined;
  const describedBy = [errorId, statusId, helpId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="dd-field" data-testid={testId}>
      <label className="dd-label" htmlFor={id}>
        {label}
      </label>
      {cloneElement(children, { id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
      {error ? (
        <span className="dd-field-error" id={errorId} data-testid={`${id}-error`}>
          {error}
        </span>
      ) : null}
      {status ? (
        <span className="dd-help" id={`${id}-status`} aria-live="polite" data-testid={status.testId}>
          {status.text}
        </span>
      ) : null}
      {help ? (
        <span className="dd-help" id={helpId}>
          {help}
        </span>
      ) : null}
    </div>
  );
}
