/**
 * Who is looking at the shell, and in which theme. Both live in cookies so a
 * switch survives reloads and every frame request carries it; the server, not
 * the page, decides which account a bridge call acts as.
 */
import type { IncomingMessage } from 'node:http';

export interface ShellUser {
  accountId: string;
  displayName: string;
  /** A short description shown in the user switcher. */
  role: string;
}

export type ColorMode = 'light' | 'dark';

export interface Session {
  user: ShellUser;
  colorMode: ColorMode;
}

/** The stand-in's documented accounts, used when it does not list its own. */
export const DEFAULT_USERS: ShellUser[] = [
  { accountId: 'admin-1', displayName: 'Alex Admin', role: 'Jira admin' },
  { accountId: 'member-1', displayName: 'Morgan Member', role: 'member' },
  { accountId: 'restricted-1', displayName: 'Riley Restricted', role: 'cannot browse one project' },
  { accountId: 'viewer-1', displayName: 'Vic Viewer', role: 'cannot link issues' },
  { accountId: 'lead-1', displayName: 'Lee Lead', role: 'administers SHOP' },
];

export const USER_COOKIE = 'sandbox_user';
export const THEME_COOKIE = 'sandbox_theme';

export function parseCookies(req: IncomingMessage): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    try {
      cookies.set(name, decodeURIComponent(part.slice(eq + 1).trim()));
    } catch {
      // A malformed cookie is ignored like a missing one.
    }
  }
  return cookies;
}

export function readSession(req: IncomingMessage, users: readonly ShellUser[]): Session {
  const cookies = parseCookies(req);
  const fallback = users[0];
  if (!fallback) throw new Error('The sandbox host needs at least one user.');
  const user = users.find((u) => u.accountId === cookies.get(USER_COOKIE)) ?? fallback;
  const colorMode: ColorMode = cookies.get(THEME_COOKIE) === 'dark' ? 'dark' : 'light';
  return { user, colorMode };
}
