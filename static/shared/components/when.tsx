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
  const at = now ?? Date.now();
  const old = at - Date.parse(iso) >= DAY_MS;
  return (
    <time dateTime={iso} title={dateTime(iso)} data-testid={testId}>
      {old ? `${calendarDaysAgo(iso, at) ?? relative} (${shortDate(iso)})` : relative}
    </time>
  );
}

/**
 * Within a week, days counted on the calendar, so that the words agree with the date beside
 * them: something from 20:00 on 4 Dec is "2 days ago" at 02:00 on 6 Dec, not "yesterday".
 * Null from a week back (then the rounded weeks, months and years read fine).
 */
function calendarDaysAgo(iso: string, now: number): string | null {
  const day = (ms: number): number => {
    const d = new Date(ms);
    return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / DAY_MS;
  };
  const days = day(now) - day(Date.parse(iso));
  if (days < 1 || days >= 7) return null;
  return days === 1 ? 'yesterday' : `${days} days ago`;
}
