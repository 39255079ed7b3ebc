/**
 * The Jira Cloud stand-in: a stateful HTTP server on loopback answering the
 * REST calls the app makes, in Jira's documented shapes. See README.md here.
 *
 *   const jira = await JiraStandIn.start({ seed: sampleBacklog() });
 *   await fetch(`${jira.url}/rest/api/3/search/jql`, {
 *     method: 'POST',
 *     headers: { 'content-type': 'application/json', 'x-sandbox-principal': 'user:member-1' },
 *     body: JSON.stringify({ jql: 'project = SHOP', fields: ['summary'] }),
 *   });
 *   await jira.close();
 */
import { JiraCore } from './core';
import type { EventListener } from './events';
import type { RateLimitOptions, ServerErrorOptions } from './faults';
import { createIssue, deleteIssue, updateIssue, type IssueChanges, type IssueInput } from './issue-service';
import { DEFAULT_APP_ACCOUNT_ID, DEFAULT_USERS, type Principal } from './principals';
import { loadJiraCsv, loadSeed } from './seed';
import { listen, type RunningServer } from './server';
import type { JiraStore } from './store';
import type { SeedData, StandInUser, StoredIssue } from './types';

export type { SeedData, SeedIssue, SeedLink, StandInUser, StoredIssue, StoredLink, StoredComment, AdfDoc, Project, SecurityLevel } from './types';
export type { IssueInput, IssueChanges } from './issue-service';
export { DEFAULT_USERS, DEFAULT_APP_ACCOUNT_ID } from './principals';
export { DEFAULT_SECURITY_LEVELS } from './store';
export { MAX_RESULTS_IDS_ONLY, MAX_RESULTS_WITH_FIELDS } from './routes/search';
export { wikiToAdf, adfToPlainText } from './adf';

export interface StartOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  seed?: SeedData;
  /**
   * Defaults to DEFAULT_USERS: admin-1, member-1, restricted-1 (no OPS), viewer-1 (no link), lead-1 (administers SHOP);
   * admin-1, member-1 and lead-1 are in the 'Security team' issue security level (10100).
   */
  users?: StandInUser[];
  appAccountId?: string;
  /** Fixed clock for deterministic timestamps and relative JQL dates. */
  clock?: () => number;
}

export interface StandInStats {
  total: number;
  /** `METHOD /rest/api/3/path/{param}` → requests seen (429/5xx-injected ones included). */
  byEndpoint: Map<string, number>;
  /** Requests whose METHOD + path template matches, e.g. count('POST', '/rest/api/3/search/jql'). */
  count(method: string, template: string): number;
}

/** Who does a programmatic write: the app (default), a user accountId, or nobody. */
export type Actor = 'app' | { accountId: string };

export class JiraStandIn {
  private constructor(
    private readonly core: JiraCore,
    private readonly server: RunningServer,
  ) {}

  static async start(opts: StartOptions = {}): Promise<JiraStandIn> {
    const core = new JiraCore(opts.users ?? DEFAULT_USERS, opts.appAccountId ?? DEFAULT_APP_ACCOUNT_ID, opts.clock ?? Date.now);
    if (opts.seed) loadSeed(core, opts.seed);
    const server = await listen(core, opts.port ?? 0);
    core.baseUrl = server.url;
    return new JiraStandIn(core, server);
  }

  /** http://127.0.0.1:PORT */
  get url(): string {
    return this.server.url;
  }

  get appAccountId(): string {
    return this.core.permissions.appAccountId;
  }

  /** Direct access for assertions: issues, links, comments, projects, uiModifications. */
  get store(): JiraStore {
    return this.core.store;
  }

  get faults(): {
    rateLimit(opts: RateLimitOptions): void;
    serverErrors(opts: ServerErrorOptions): void;
    latency(ms: number, path?: RegExp): void;
    /** Removes the latency rules and lets the requests they are delaying go on at once. */
    liftLatency(): void;
    /** Removes every rule; a request already being delayed waits its time out. */
    clear(): void;
  } {
    return this.core.faults;
  }

  users(): StandInUser[] {
    return this.core.permissions.allUsers();
  }

  /** Adds or replaces a user, e.g. to shape a permission matrix in a test. */
  putUser(user: StandInUser): void {
    this.core.permissions.putUser(user);
    this.core.touch();
  }

  /** Atlassian's personal data reporting answers `closed` for this account from now on. */
  closeAccount(accountId: string): void {
    this.core.accounts.closed.add(accountId);
  }

  /** The account's profile changed at `atMs` (default now): reported `updated` to an app that stored it before. */
  updateAccount(accountId: string, atMs: number = this.core.clock()): void {
    this.core.accounts.updatedMs.set(accountId, atMs);
  }

  /** The accounts of each POST /app/report-accounts so far, request by request. */
  accountReports(): Array<Array<{ accountId: string; updatedAt: string }>> {
    return this.core.accounts.reports.map((r) => r.map((a) => ({ ...a })));
  }

  projectKeys(): string[] {
    return [...this.core.store.projects.values()].map((p) => p.key);
  }

  stats(): StandInStats {
    const byEndpoint = new Map(this.core.requestCounts);
    return {
      total: [...byEndpoint.values()].reduce((a, b) => a + b, 0),
      byEndpoint,
      count: (method, template) => byEndpoint.get(`${method.toUpperCase()} ${template}`) ?? 0,
    };
  }

  resetStats(): void {
    this.core.requestCounts.clear();
  }

  onEvent(listener: EventListener): () => void {
    return this.core.events.on(listener);
  }

  /** Resolves once every product event emitted so far has reached its listeners. */
  flushEvents(): Promise<void> {
    return this.core.events.flush();
  }

  loadSeed(seed: SeedData): { issues: number; links: number } {
    return loadSeed(this.core, seed);
  }

  /**
   * Loads a Jira CSV export. Without a Project key column the issues go to
   * `projectKey` (default IMPORT); keys are numbered by ascending Issue id.
   */
  loadJiraCsv(text: string, opts: { projectKey?: string } = {}): { issues: number; warnings: string[] } {
    return loadJiraCsv(this.core, text, opts);
  }

  private principal(actor: Actor): Principal {
    if (actor === 'app') return { kind: 'app', accountId: this.appAccountId };
    const p = this.core.permissions.principalFor(actor.accountId);
    if (!p) throw new Error(`unknown stand-in user ${actor.accountId}`);
    return p;
  }

  private issue(idOrKey: string): StoredIssue {
    const issue = this.core.store.getIssue(idOrKey);
    if (!issue) throw new Error(`no issue ${idOrKey} in the stand-in`);
    return issue;
  }

  /** Creates an issue and emits avi:jira:created:issue, as the HTTP route does. */
  createIssue(input: IssueInput, actor: Actor = 'app'): StoredIssue {
    return createIssue(this.core, input, this.principal(actor));
  }

  /** Changes fields (status included, unlike REST) and emits avi:jira:updated:issue with a changelog. */
  updateIssue(idOrKey: string, changes: IssueChanges, actor: Actor = 'app'): StoredIssue {
    return updateIssue(this.core, this.issue(idOrKey), changes, this.principal(actor));
  }

  /**
   * Sets (level id or name) or clears (null) an issue's security level, as the
   * app: an edit like any other, so `updated` moves and avi:jira:updated:issue
   * is emitted with a `security` changelog item; nothing happens if the level
   * is already that. An unknown level throws.
   */
  setSecurityLevel(issueIdOrKey: string, levelId: string | null): void {
    const issue = this.issue(issueIdOrKey);
    if (levelId !== null && !this.core.store.findSecurityLevel(levelId)) throw new Error(`no issue security level ${levelId} in the stand-in`);
    updateIssue(this.core, issue, { securityLevel: levelId }, this.principal('app'));
  }

  deleteIssue(idOrKey: string, actor: Actor = 'app'): void {
    deleteIssue(this.core, this.issue(idOrKey), this.principal(actor));
  }

  /** Adds a link without HTTP or permission checks: "inward <type.outward> outward". */
  link(type: string, inwardKey: string, outwardKey: string): void {
    const t = this.core.store.findLinkType({ name: type });
    if (!t) throw new Error(`no link type ${type}`);
    this.core.store.addLink(t.id, this.issue(inwardKey).id, this.issue(outwardKey).id);
    this.core.touch();
  }

  async close(): Promise<void> {
    // Requests a latency still holds (a long one, to be lifted by a test) do not outlive the stand-in.
    this.core.faults.liftLatency();
    await this.server.close();
  }

  /** Same as close(); the sandbox launcher calls it stop(). */
  stop(): Promise<void> {
    return this.close();
  }
}
