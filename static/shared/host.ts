/** Small wrappers over host features, each failing softly: the page keeps working. */
import { router, showFlag } from '@forge/bridge';
import { ADMIN_PAGE_MODULE, PROJECT_PAGE_MODULE } from './module-keys';

let flagSeq = 0;

export function flag(type: 'success' | 'error' | 'info' | 'warning', title: string, description?: string): void {
  try {
    showFlag({ id: `dedupe-${Date.now()}-${++flagSeq}`, type, title, description, isAutoDismiss: type !== 'error' });
  } catch (err) {
    console.warn('[dedupe] showFlag failed', err);
  }
}

/**
 * A flag with buttons (Jira's "Undo" in a flag), which stays until it is closed (the handle's
 * `close`) or the person closes it. Null when the host could not show it.
 */
export function actionFlag(type: 'success' | 'info', title: string, actions: Array<{ text: string; onClick: () => void }>): { close: () => void } | null {
  try {
    const shown = showFlag({ id: `dedupe-${Date.now()}-${++flagSeq}`, type, title, actions, isAutoDismiss: false });
    return {
      close: () => {
        shown.close().catch((err: unknown) => console.warn('[dedupe] closeFlag failed', err));
      },
    };
  } catch (err) {
    console.warn('[dedupe] showFlag failed', err);
    return null;
  }
}

const ISSUE_KEY = /^[A-Z][A-Z0-9_]*-\d+$/i;

/** The Jira site's address from the page's context (`mount` sets it), for real links to issues. */
let site: string | null = null;

export function setSiteUrl(url: string | null): void {
  site = url !== null && /^https?:\/\/[^\s]+$/i.test(url) ? url.replace(/\/+$/, '') : null;
}

/** The issue's address on the site, or null when the context gave no site or the key is not a key. */
export function issueUrl(key: string): string | null {
  return site !== null && ISSUE_KEY.test(key) ? `${site}/browse/${encodeURIComponent(key)}` : null;
}

/** Opens an issue in a new tab; issue keys come from our own data, never user text. */
export function openIssue(key: string): void {
  if (!ISSUE_KEY.test(key)) return;
  void router.open(`/browse/${encodeURIComponent(key)}`).catch((err: unknown) => {
    console.warn('[dedupe] router.open failed', err);
  });
}

/** Goes to the app's project page (Duplicate review) of a project, in this tab. */
export function goToProjectPage(projectKey: string): void {
  void router.navigate({ target: 'module', moduleKey: PROJECT_PAGE_MODULE, projectKey }).catch((err: unknown) => {
    console.warn('[dedupe] router.navigate failed', err);
  });
}

/** Goes to the app's admin page, in this tab. */
export function goToAdminPage(): void {
  void router.navigate({ target: 'module', moduleKey: ADMIN_PAGE_MODULE }).catch((err: unknown) => {
    console.warn('[dedupe] router.navigate failed', err);
  });
}
