/** A determinate bar when `value` is known (0..1), an animated one otherwise. */
export function ProgressBar({ value, label, testId = 'progress-bar' }: { value: number | null; label: string; testId?: string }) {
  const known = value !== null && Number.isFinite(value);
  const pct = known ? Math.round(Math.min(1, Math.max(0, value)) * 100) : 0;
  return (
    <div
      className={`dd-progress ${known ? '' : 'dd-progress--indeterminate'}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={known ? pct : undefined}
      aria-valuetext={known ? `${pct}%` : 'Working'}
      data-testid={testId}
    >
      <div className="dd-progress__bar" style={{ width: `${pct}%` }} />
    </div>
  );
}
