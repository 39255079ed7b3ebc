import { dateTime, shortDate, timeAgo } from '../format';

const DAY_MS = 24 * 3600 * 1000;

/**
 * When something happened: "5 minutes ago", and from a day back the date beside it, "3 days
 * ago (3 Dec 2026)", in view for everyone (a tooltip needs a pointer). The time of day stays
 * in the tooltip. Nothing for a missing or unreadable date.
 */
export function When({ iso, now, testId }: { iso: string | null | undefined; now?: number; testId?: string }) {
  const relative = timeAgo(iso, now);
  if (relative === '' || !iso) return null;
  const old = (now ?? Date.now()) - Date.parse(iso) >= DAY_MS;
  return (
    <time dateTime={iso} title={dateTime(iso)} data-testid={testId}>
      {old ? `${relative} (${shortDate(iso)})` : relative}
    </time>
  );
}
