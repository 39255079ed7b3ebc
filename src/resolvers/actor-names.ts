/**
 * Display names of the people who did something (decided a pair, changed a setting), as the
 * viewer may see them (`/user/bulk` as the user, so Jira's profile visibility applies). The
 * lists that show them stay useful without names, so a Jira failure only costs the names.
 *
 * The one place names are given: FORMER_USER, where a closed account's id was, is named here
 * too, in the app's words (FORMER_USER_NAME, src/shared/wording.ts), so the pages and the CSV
 * export show it as any other name. Nobody to ask Jira about: it is never sent there, and it
 * is named also when Jira fails.
 */
import { displayNames } from '../jira/users';
import type { ActorName } from '../shared/contract';
import { FORMER_USER, FORMER_USER_NAME } from '../shared/wording';
import { mapError } from './error-mapping';
import { logEvent } from './log';

/** `budget.deadlineAt`: an end shared with the caller's other Jira calls (epoch ms); past it, no names. */
export async function actorNames(accountIds: Array<string | null>, event: string, budget: { deadlineAt?: number } = {}): Promise<ActorName[]> {
  const given = new Set(accountIds.filter((id): id is string => id !== null && id !== ''));
  const former: ActorName[] = given.delete(FORMER_USER) ? [{ accountId: FORMER_USER, displayName: FORMER_USER_NAME }] : [];
  const ids = [...given];
  if (ids.length === 0) return former;
  try {
    const names = await displayNames(ids, budget);
    return [
      ...former,
      ...ids.flatMap((accountId) => {
        const displayName = names.get(accountId);
        return displayName ? [{ accountId, displayName }] : [];
      }),
    ];
  } catch (err) {
    logEvent(event, { status: 'failed', ...mapError(err).log });
    return former;
  }
}
