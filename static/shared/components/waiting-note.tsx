import { duration } from '../format';

/**
 * Jira asked the app to wait, and the run waits (`RunView.waitingUntil`): a 429's Retry-After
 * (Jira's rate limit) or a 5xx's (a 503 when Jira is overloaded), which the run cannot tell
 * apart here, so the words fit both. Said under its progress bar, so a bar that stands still
 * does not look hung.
 */
export function WaitingNote({ until }: { until: string }) {
  const seconds = Math.max(1, Math.round((Date.parse(until) - Date.now()) / 1000));
  return (
    <p className="dd-subtle" style={{ margin: 0 }} data-testid="run-waiting">
      Jira asked the app to wait. The analysis goes on by itself in about {duration(seconds)}; nothing needs to be done.
    </p>
  );
}
