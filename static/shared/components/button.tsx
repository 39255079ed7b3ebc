import type { ButtonHTMLAttributes, ReactNode } from 'react';
import { Spinner } from './spinner';

export type ButtonAppearance = 'default' | 'primary' | 'danger' | 'subtle' | 'link';

export interface ButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type'> {
  appearance?: ButtonAppearance;
  small?: boolean;
  /**
   * Shows a spinner and blocks clicks without losing the label. Unless also `disabled`, the
   * button stays focusable meanwhile (`aria-disabled`): a disabled button drops the keyboard
   * focus to the page.
   */
  loading?: boolean;
  /**
   * Why the button is disabled. Shown as a tooltip and announced to screen
   * readers: a disabled action should say what would enable it.
   */
  disabledReason?: string | null;
  type?: 'button' | 'submit';
  children: ReactNode;
  'data-testid'?: string;
}

export function Button({
  appearance = 'default',
  small = false,
  loading = false,
  disabled = false,
  disabledReason = null,
  type = 'button',
  className,
  children,
  title,
  ...rest
}: ButtonProps) {
  const classes = ['dd-btn', `dd-btn--${appearance}`, small ? 'dd-btn--small' : '', className ?? '']
    .filter(Boolean)
    .join(' ');
  // Busy but not disabled: it keeps the focus, and clicks do nothing until it is done.
  const busyOnly = loading && !disabled;
  const { onClick, ...others } = rest;
  const reason = disabled && disabledReason ? disabledReason : null;
  // An aria-label replaces the content as the name, the hidden reason with it: say it there.
  const ariaLabel = others['aria-label'];
  if (reason && ariaLabel) others['aria-label'] = `${ariaLabel} (${reason})`;
  return (
    <button
      type={type}
      className={classes}
      disabled={disabled}
      aria-disabled={busyOnly || undefined}
      aria-busy={loading || undefined}
      title={reason ?? title}
      onClick={busyOnly ? (e) => e.preventDefault() : onClick}
      {...others}
    >
      {loading ? <Spinner label="Working" small /> : null}
      {children}
      {reason ? <span className="dd-visually-hidden">{` (${reason})`}</span> : null}
    </button>
  );
}
