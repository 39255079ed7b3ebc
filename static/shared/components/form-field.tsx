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
  children,
  testId,
}: {
  id: string;
  label: ReactNode;
  help?: ReactNode;
  error?: string | null;
  children: ReactElement<Record<string, unknown>>;
  testId?: string;
}) {
  const helpId = help ? `${id}-help` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, helpId].filter(Boolean).join(' ') || undefined;
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
      {help ? (
        <span className="dd-help" id={helpId}>
          {help}
        </span>
      ) : null}
    </div>
  );
}
