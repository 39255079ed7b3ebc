/**
 * Runs that fail are written to the action history, as their start and cancel are, so a
 * failure seen on the project page can still be found there later. The app is the actor.
 */
import { appendAction } from '../store/actions';
import type { RunRow } from '../store/runs';

export async function logRunFailure(run: Pick<RunRow, 'id' | 'scope'>, error: string): Promise<void> {
  try {
    await appendAction({
      action: 'run.fail',
      actorAccountId: null,
      projectKeys: run.scope.kind === 'project' ? [run.scope.projectKey] : [],
      detail: error,
    });
  } catch (err) {
    // The run has failed either way; a history entry that cannot be written must not hide that.
    console.warn(`analysis: run ${run.id} failed, and its history entry could not be written: ${err instanceof Error ? err.message : String(err)}`);
  }
}
