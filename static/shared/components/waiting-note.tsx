import { duration } from '../format';

/**
 * Jira's rate limit holds a run back (`RunView.waitingUntil`): said under its progress bar,
 * so a bar that stands still does not look hung.
 */
export function WaitingNote({ until }: { until: string }) {
  const seconds = Math.max(1, Math.round((Date.parse(until) - Date.now()) / 1000));
  return (
    <p className="dd-subtle" style={{ margin: 0 }} data-testid="run-waiting">
      Jira asked the app to slow down. The analysis goes on by itself in about {duration(seconds)}; nothing needs to be done.
    </p>
  );
}
