/**
 * Product REST calls (`api.asApp()/asUser().requestJira`) forwarded to the Jira
 * stand-in over HTTP, tagged with `x-sandbox-principal` so the stand-in can apply
 * the acting user's permissions: `app`, `user:<accountId>` or `none`.
 */
import { proxyErrorReply } from '../http-reply';
import type { ForgeDescriptor } from '../fetch-seam';
import { LocalForgeError } from '../local-forge-error';

export const PRINCIPAL_HEADER = 'x-sandbox-principal';

export interface JiraCallStats {
  requests: number;
  byPrincipal: Record<'app' | 'user' | 'none', number>;
}

export class JiraForwarder {
  readonly stats: JiraCallStats = { requests: 0, byPrincipal: { app: 0, user: 0, none: 0 } };

  constructor(private baseUrl: string | undefined) {}

  setBaseUrl(url: string): void {
    this.baseUrl = url.replace(/\/+$/, '');
  }

  async forward(
    descriptor: ForgeDescriptor,
    path: string,
    init: RequestInit | undefined,
    actingUser: string | undefined,
  ): Promise<Response> {
    if (descriptor.remote !== 'jira') return proxyErrorReply(400, 'INVALID_REMOTE');
    const principal = principalFor(descriptor, actingUser);
    if (principal === undefined) {
      // asUser() with no user behind the invocation: the proxy has no user token to use.
      return proxyErrorReply(401, 'NEEDS_AUTHENTICATION_ERR');
    }
    if (!this.baseUrl) {
      throw new LocalForgeError('requestJira was called but LocalForge has no jiraUrl: pass it to start() or call setJiraUrl().');
    }
    const headers = new Headers(init?.headers);
    headers.set(PRINCIPAL_HEADER, principal);
    this.stats.requests += 1;
    this.stats.byPrincipal[principal === 'app' || principal === 'none' ? principal : 'user'] += 1;
    const method = (init?.method ?? 'GET').toUpperCase();
    return fetch(`${this.baseUrl}${path.startsWith('/') ? path : `/${path}`}`, {
      method,
      headers,
      ...(init?.body === undefined || init.body === null || method === 'GET' || method === 'HEAD' ? {} : { body: init.body }),
      redirect: 'manual',
    });
  }
}

function principalFor(descriptor: ForgeDescriptor, actingUser: string | undefined): string | undefined {
  if (descriptor.provider === 'app') return 'app';
  if (descriptor.provider === 'user') {
    const accountId = descriptor.accountId ?? actingUser;
    return accountId === undefined ? undefined : `user:${accountId}`;
  }
  return 'none';
}
