/**
 * Where a person was on a page (tab, queue filters, sort, page), kept for the browser tab's
 * session: a reload (F5), or coming back to the page from an issue in the same tab, finds it
 * as it was left (Jira loads the app's frame anew each time; the frame cannot tell a reload
 * from a new visit). A new browser tab starts from the defaults. Filters kept are in view
 * with their Clear filters, so a search kept from before does not hide pairs unseen. sessionStorage: per tab, gone with it, and never shared with
 * other sites (browsers partition a frame's storage by the page around it). A frame that
 * may not use storage, or a stored value this version does not recognise, gives the
 * defaults: what is read back goes through the caller's `restore`, which keeps only what
 * it knows.
 */
const PREFIX = 'dd:';

export function readSession<T>(key: string, restore: (raw: unknown) => T | null): T | null {
  try {
    const raw = window.sessionStorage.getItem(PREFIX + key);
    return raw === null ? null : restore(JSON.parse(raw));
  } catch {
    return null;
  }
}

export function writeSession(key: string, value: unknown): void {
  try {
    window.sessionStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // Storage blocked or full: the page works as before, without coming back to this place.
  }
}
