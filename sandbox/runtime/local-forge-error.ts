/**
 * A misuse of the local runtime itself (second instance, unknown function key,
 * missing Jira URL...). Distinct from the Forge-shaped errors the SDKs raise, so a
 * test failure says plainly whether the app or the harness is at fault.
 */
export class LocalForgeError extends Error {
  override readonly name = 'LocalForgeError';
}
