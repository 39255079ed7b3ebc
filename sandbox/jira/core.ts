/**
 * Everything a route handler needs: the store, who may do what, the event
 * bus, the clock and the base URL that `self` links point at.
 */
import { EventBus } from './events';
import { Faults } from './faults';
import { Permissions } from './principals';
import { newAccountRecords, type AccountRecords } from './routes/privacy';
import { JiraStore } from './store';
import type { StandInUser } from './types';

export class JiraCore {
  readonly store = new JiraStore();
  readonly events = new EventBus();
  readonly faults: Faults;
  /** Requests seen per `METHOD /path/{param}` endpoint, fault-injected ones included. */
  readonly requestCounts = new Map<string, number>();
  readonly permissions: Permissions;
  /** Closed and changed accounts, and what the app reported (/app/report-accounts). */
  readonly accounts: AccountRecords = newAccountRecords();
  baseUrl = 'http://127.0.0.1';
  /** Bumped on every write so cached search results are never stale. */
  version = 0;
  /** Ordered search hits per principal + JQL, valid while `version` is unchanged. */
  readonly searchCache = new Map<string, { version: number; ids: string[] }>();

  constructor(
    users: StandInUser[],
    appAccountId: string,
    readonly clock: () => number = Date.now,
  ) {
    this.permissions = new Permissions(users, appAccountId, this.store);
    this.faults = new Faults(clock);
  }

  nowIso(): string {
    return new Date(this.clock()).toISOString();
  }

  touch(): void {
    this.version++;
  }

  api(path: string): string {
    return `${this.baseUrl}/rest/api/3/${path}`;
  }
}
