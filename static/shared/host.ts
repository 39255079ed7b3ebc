/** Small wrappers over host features, each failing softly: the page keeps working. */
import { router, showFlag } from '@forge/bridge';

let flagSeq = 0;

export function flag(type: 'success' | 'error' | 'info' | 'warning', title: string, description?: string): void {
  try {
    showFlag({ id: `dedupe-${Date.now()}-${++flagSeq}`, type, title, description, isAutoDismiss: type !== 'error' });
  } catch (err) {
    console.warn('[dedupe] showFlag failed', err);
  }
}

/** Opens an issue in a new tab; issue keys come from our own data, never user text. */
export function openIssue(key: string): void {
  if (!/^[A-Z][A-Z0-9_]*-\d+$/i.test(key)) return;
  void router.open(`/browse/${encodeURIComponent(key)}`).catch((err: unknown) => {
    console.warn('[dedupe] router.open failed', err);
  });
}
