import type { RunView } from '../../../src/shared/contract';
import { duration } from '../format';

/** What the note says first, by why the run waits (`RunView.waitReason`). */
const WHY: Record<NonNullable<RunView['waitReason']>, string> = {
  // A 429's Retry-After (Jira's rate limit) or a 5xx's (a 503 when Jira is overloaded), which
  // the run cannot tell apart here, so the words fit both.
  asked: 'Jira asked the app to wait.',
  errors: 'Jira answered with errors, so the analysis waits before it asks again.',
  'no-answer': 'Jira did not answer in time, so the analysis waits before it asks again.',
};

/**
 * The run waits for Jira (`RunView.waitingUntil`): why, and when it goes on by itself. Said
 * under its progress bar, so a bar that stands still does not look hung.
 */
export function WaitingNote({ until, reason }: { until: string; reason: RunView['waitReason'] }) {
  const seconds = Math.max(1, Math.round((Date.parse(until) - Date.now()) / 1000));
  return (
    <p className="dd-subtle" style={{ margin: 0 }} data-testid="run-waiting" data-reason={reason ?? 'asked'}>
      {WHY[reason ?? 'asked']} The analysis goes on by itself in about {duration(seconds)}; nothing needs to be done.
    </p>
  );
}
