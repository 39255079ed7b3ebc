/**
 * Display names of the people who did something (decided a pair, changed a setting), as the
 * viewer may see them (`/user/bulk` as the user, so Jira's profile visibility applies). The
 * lists that show them stay useful without names, so a Jira failure only costs the names.
 */
import { displayNames } from '../jira/users';
import type { ActorName } from '../shared/contract';
import { FORMER_USER } from '../shared/wording';
import { mapError } from './error-mapping';
import { logEvent } from './log';

export async function actorNames(accountIds: Array<string | null>, event: string): Promise<ActorName[]> {
  // FORMER_USER stands where a closed account's id was: nobody to ask Jira about.
  const ids = [...new Set(accountIds.filter((id): id is string => id !== null && id !== '' && id !== FORMER_USER))];
  if (ids.length === 0) return [];
  try {
    const names = await displayNames(ids);
    return ids.flatMap((accountId) => {
      const displayName = names.get(accountId);
      return displayName ? [{ accountId, displayName }] : [];
    });
  } catch (err) {
    logEvent(event, { status: 'failed', ...mapError(err).log });
    return [];
  }
}
