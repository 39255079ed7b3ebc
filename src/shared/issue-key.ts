/**
 * A Jira issue key as people type it: project key, dash, issue number (any case here).
 * One pattern for the server's payload check and the pages that accept a typed key.
 */
export const ISSUE_KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,99}-[1-9][0-9]{0,17}$/;

/** The key upper-cased, as Jira and the history store it, or null when the text is not a key. */
export function normaliseIssueKey(text: string): string | null {
  const key = text.trim();
  return ISSUE_KEY_PATTERN.test(key) ? key.toUpperCase() : null;
}

/**
 * A typed key, or, in a project's context, a number alone ("27", "#27", "027") as the key with
 * that number in that project ("SHOP-27"); null when the text is neither.
 */
export function issueKeyOrNumber(text: string, projectKey: string | null): string | null {
  const key = normaliseIssueKey(text);
  if (key !== null || projectKey === null) return key;
  const number = /^#?0*([1-9][0-9]{0,17})$/.exec(text.trim())?.[1];
  return number === undefined ? null : normaliseIssueKey(`${projectKey}-${number}`);
}

/** The project key of an issue key ("SHOP-12" → "SHOP"): everything before its last dash. */
export function projectKeyOfIssueKey(key: string): string {
  const dash = key.lastIndexOf('-');
  return dash > 0 ? key.slice(0, dash).toUpperCase() : key.toUpperCase();
}
