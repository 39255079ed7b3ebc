import { useLayoutEffect, useRef, useState } from 'react';
import { Button } from '../shared/components/button';
import { plural } from '../shared/format';
import { useCall } from '../shared/use-call';

/** Pairs in the histogram with a score at or above `from` (to the hundredth, as stored buckets). */
function atOrAbove(buckets: number[], from: number): number {
  const first = Math.max(0, Math.ceil(from * 100 - 1e-6));
  let n = 0;
  for (let b = first; b < buckets.length; b++) n += buckets[b] ?? 0;
  return n;
}

/**
 * Possible duplicates at a duplicate threshold `from`: a pair that reached the threshold it
 * was stored under keeps its stored tier (one whose summaries name other versions, branches
 * or issue keys stays related, as the next analysis would keep it), a pair below it counts
 * by its score.
 */
function duplicatesFrom(data: { buckets: number[]; duplicates: number[]; storedDuplicateFrom: number }, from: number): number {
  const first = Math.max(0, Math.ceil(from * 100 - 1e-6));
  const stored = Math.max(0, Math.ceil(data.storedDuplicateFrom * 100 - 1e-6));
  let n = 0;
  for (let b = first; b < data.buckets.length; b++) n += b >= stored ? (data.duplicates[b] ?? 0) : (data.buckets[b] ?? 0);
  return n;
}

/**
 * What the thresholds being typed would make of the pairs stored now (by runs and by issue events since): how many
 * would be possible duplicates and how many related. Counted in the browser from one
 * histogram, so it follows every keystroke. `thresholds` (fractions) is null while either
 * value is not valid: the preview then says it waits rather than count from them. When the
 * histogram cannot be read (the app's database failing), the line says so with its own Try
 * again, as the issue types' line does; the form saves as ever meanwhile.
 */
export function ThresholdPreview({
  thresholds,
  withheldProjects = false,
}: {
  thresholds: { duplicate: number; related: number } | null;
  /** The reader may not browse every project in scope: the pairs counted are those they may see. */
  withheldProjects?: boolean;
}) {
  const where = withheldProjects ? ' in the projects you can browse' : '';
  const preview = useCall('settings.preview', {});
  /** Try again was pressed: the line stays, its button busy, until the answer comes. */
  const [retried, setRetried] = useState(false);
  /** Try again was pressed and has not been answered yet: focus is to follow its answer. */
  const followRetry = useRef(false);
  /** The line that replaces the failure (where focus goes after a Try again that counted). */
  const line = useRef<HTMLParagraphElement>(null);
  const data = preview.data;
  // A Try again that counted takes its button away with the failure, and focus with it: the
  // line that says what was counted takes it (a failure again keeps the button).
  useLayoutEffect(() => {
    if (!followRetry.current || preview.state !== 'ok') return;
    followRetry.current = false;
    const active = document.activeElement;
    if (active === null || active === document.body) line.current?.focus();
  }, [preview.state]);
  if (data === null && (preview.state === 'error' || (preview.state === 'loading' && retried))) {
    return (
      <p className="dd-subtle" style={{ margin: 0 }} aria-live="polite" data-testid="threshold-preview" data-state="failed">
        Could not count the stored pairs to preview these thresholds.{' '}
        <Button
          appearance="link"
          loading={preview.state === 'loading'}
          onClick={() => {
            setRetried(true);
            followRetry.current = true;
            preview.reload();
          }}
          data-testid="threshold-preview-retry"
        >
          Try again
        </Button>
      </p>
    );
  }
  if (data === null) return null;
  if (data.total === 0) {
    // Said only after a Try again, to have a line to hold the focus its button had.
    return retried ? (
      <p ref={line} tabIndex={-1} className="dd-subtle" style={{ margin: 0 }} aria-live="polite" data-testid="threshold-preview" data-state="empty">
        No pairs are stored yet, so there is nothing to preview.
      </p>
    ) : null;
  }
  if (thresholds === null) {
    return (
      <p ref={line} tabIndex={-1} className="dd-subtle" style={{ margin: 0 }} aria-live="polite" data-testid="threshold-preview" data-state="waiting">
        The preview of the {plural(data.total, 'pair')} stored now{where} waits for valid thresholds.
      </p>
    );
  }
  const { duplicate, related } = thresholds;
  const dup = duplicatesFrom(data, duplicate);
  const rel = atOrAbove(data.buckets, related) - dup;
  const below = related < data.storedFrom - 1e-9;
  // A raised related threshold: the pairs under it would no longer be suggested.
  const dropped = data.total - dup - rel;
  return (
    <p ref={line} tabIndex={-1} className="dd-subtle" style={{ margin: 0 }} aria-live="polite" data-testid="threshold-preview" data-state="counted">
      Of the {plural(data.total, 'pair')} stored now{where}, {dup === 1 ? '1 would be a possible duplicate' : `${dup.toLocaleString('en')} would be possible duplicates`} and{' '}
      {/* "at least 0" says nothing: the sentence after it tells what the next run adds. */}
      {below && rel > 0 ? 'at least ' : ''}
      {rel.toLocaleString('en')} related.
      {dropped > 0 ? ` ${dropped === 1 ? '1 would' : `${dropped.toLocaleString('en')} would`} no longer be suggested.` : ''}
      {below ? ` Pairs below ${Math.round(data.storedFrom * 100)}% were not stored, so the next analysis will find more.` : ''}
    </p>
  );
}
