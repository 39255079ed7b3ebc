import { useId, type ReactNode } from 'react';
import { Button } from './button';

/**
 * A question between a button and an action that is hard to take back: it says what will
 * happen and waits for the confirming button or Cancel. Shown in place (no modal anywhere in
 * the app): focus starts on Cancel, so Enter or Space alone changes nothing, and Escape
 * cancels. The admin page asks it before a save that would turn the app off, the review
 * queue before a bulk confirmation makes links in Jira.
 */
export function ConfirmStep({
  title,
  confirmLabel,
  testId,
  onCancel,
  onConfirm,
  appearance = 'danger',
  children,
}: {
  title: string;
  confirmLabel: string;
  testId: string;
  onCancel: () => void;
  onConfirm: () => void;
  /** The confirming button's look: danger for turning something off, primary otherwise. */
  appearance?: 'danger' | 'primary';
  children: ReactNode;
}) {
  const id = useId();
  return (
    <div
      className="dd-banner dd-banner--warning"
      role="alertdialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      data-testid={`${testId}-confirm`}
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.preventDefault();
        e.stopPropagation();
        onCancel();
      }}
    >
      <div className="dd-grow dd-stack">
        <h3 className="dd-h3" id={`${id}-title`} data-testid={`${testId}-title`}>
          {title}
        </h3>
        <div id={`${id}-body`} data-testid={`${testId}-text`}>
          {children}
        </div>
        <div className="dd-row">
          <Button appearance={appearance} onClick={onConfirm} data-testid={`${testId}-save`}>
            {confirmLabel}
          </Button>
          <Button appearance="subtle" onClick={onCancel} autoFocus data-testid={`${testId}-cancel`}>
            Cancel
          </Button>
        </div>
      </div>
    </div>
  );
}
