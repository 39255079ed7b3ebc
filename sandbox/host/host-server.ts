/**
 * The sandbox host: a small Jira-like shell on loopback that frames the app's real
 * Custom UI builds and answers their bridge calls through the local Forge runtime.
 *
 *   /                                  projects the user can browse
 *   /projects/KEY/issues               the project's issues, newest first
 *   /browse/KEY-1                      issue view: fields, links, issue context, issue panel
 *   /projects/KEY/apps/duplicates/...  the project page (its router history lives under it)
 *   /admin/apps/duplicates/...         the admin page (shown to everyone; the app decides)
 *   /static/<resource>/...             the builds, with the host bridge injected
 *   POST /__bridge                     frame commands that need the app or Jira
 *   /__host/...                        the shell's own assets and JSON helpers
 *   /__sandbox/<name>                  test controls supplied by start.ts (e.g. settle)
 *   /__sandbox/jira/...                the stand-in's controls (faults, stats, users)
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { HttpError } from './http-error';
import { readJson, send, sendJson } from './http-io';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { answerBridge, parseBridgeRequest } from './bridge-endpoint';
import type { HostForge, SiteInfo } from './forge-context';
import { FrameAssets } from './frame-assets';
import { JiraReadError } from './jira-read-error';
import { JiraReader, type ProjectSummary } from './jira-reader';
import type { Markup } from './html';
import { readUiModules } from './manifest-modules';
import { appPage, errorPage, issueListPage, issuePage, layout, projectsPage } from './shell-pages';
import { DEFAULT_USERS, readSession, type Session, type ShellUser } from './session';

export type SandboxControl = (body: unknown, url: URL) => Promise<unknown>;

export interface HostOptions {
  /** The app's root folder (manifest.yml and the static builds). */
  appRoot: string;
  jiraUrl: string;
  forge: HostForge;
  site: SiteInfo;
  users?: ShellUser[];
  /** 0 picks a free port. */
  port?: number;
  controls?: Record<string, SandboxControl>;
}

export interface Host {
  url: string;
  port: number;
  close(): Promise<void>;
}

const PUBLIC = join(__dirname, 'public');
const SHELL_ASSETS: Record<string, string> = {
  'shell.js': 'text/javascript; charset=utf-8',
  'create-dialog.js': 'text/javascript; charset=utf-8',
  'shell.css': 'text/css; charset=utf-8',
};
export async function startHost(options: HostOptions): Promise<Host> {
  const modules = readUiModules(join(options.appRoot, 'manifest.yml'));
  const assets = new FrameAssets(options.appRoot, modules.resourcePaths, join(PUBLIC, 'frame-bridge.js'));
  const jira = new JiraReader(options.jiraUrl);
  const users = options.users ?? DEFAULT_USERS;
  const panelModule = modules.first('jira:issuePanel');
  const contextModule = modules.first('jira:issueContext');
  const projectModule = modules.first('jira:projectPage');
  const adminModule = modules.first('jira:adminPage');
  const createModule = modules.first('jira:uiModifications');
  // Without a configured site URL the shell is the site (set once listening).
  let site = options.site;

  function page(session: Session, projects: ProjectSummary[], title: string, body: Markup, extra: {
    project?: ProjectSummary;
    active?: 'issues' | 'app';
    data?: Record<string, unknown>;
  } = {}): string {
    return layout({
      session,
      users,
      projects,
      title,
      body,
      appPageTitle: projectModule.title,
      ...extra,
      data: {
        createModule: { key: createModule.key, resource: createModule.resource },
        // For router.navigate({ target: 'module', moduleKey }): which page each module key opens.
        pageModules: { [projectModule.key]: 'projectPage', [adminModule.key]: 'adminPage' },
        ...extra.data,
      },
    });
  }

  function findProject(projects: ProjectSummary[], key: string): ProjectSummary {
    const project = projects.find((p) => p.key === key);
    if (!project) throw new HttpError(404, `Project ${key} does not exist or you do not have permission to browse it.`);
    return project;
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    const session = readSession(req, users);
    const accountId = session.user.accountId;
    let m: RegExpExecArray | null;

    if (req.method === 'POST' && path === '/__bridge') {
      const parsed = parseBridgeRequest(await readJson(req));
      if (!parsed) throw new HttpError(400, 'Expected { command, moduleKey, payload }.');
      sendJson(res, 200, await answerBridge({ forge: options.forge, modules, site, jiraUrl: options.jiraUrl }, session, parsed));
      return;
    }
    if ((m = /^\/__sandbox\/jira\/([a-z/-]+)$/.exec(path))) {
      // The stand-in's own controls (faults, request counts, users), passed through.
      const body = req.method === 'POST' ? JSON.stringify(await readJson(req)) : undefined;
      const answer = await fetch(new URL(`/__sandbox/${m[1] ?? ''}`, options.jiraUrl), {
        method: req.method ?? 'GET',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body,
      });
      send(res, answer.status, answer.headers.get('content-type') ?? 'application/json', Buffer.from(await answer.arrayBuffer()));
      return;
    }
    if ((m = /^\/__sandbox\/([a-z-]+)$/.exec(path))) {
      const control = options.controls?.[m[1] ?? ''];
      if (!control) throw new HttpError(404, `No sandbox control "${m[1]}".`);
      sendJson(res, 200, (await control(req.method === 'POST' ? await readJson(req) : {}, url)) ?? { ok: true });
      return;
    }
    if ((m = /^\/static\/([a-z0-9-]+)\/(.*)$/.exec(path))) {
      const asset = assets.serve(m[1] ?? '', m[2] ?? '');
      res.writeHead(asset.status, asset.headers);
      res.end(asset.body);
      return;
    }
    if ((m = /^\/__host\/([a-z-]+\.(?:js|css))$/.exec(path)) && SHELL_ASSETS[m[1] ?? '']) {
      const name = m[1] ?? '';
      send(res, 200, SHELL_ASSETS[name] ?? 'text/plain', readFileSync(join(PUBLIC, name)));
      return;
    }
    if ((m = /^\/__host\/issue-state\/([A-Z][A-Z0-9_]*-\d+)$/.exec(path))) {
      const issue = await jira.issue(accountId, m[1] ?? '');
      sendJson(res, 200, { key: issue.key, updated: issue.updated, links: issue.links });
      return;
    }
    if (path === '/__host/create-meta') {
      const projects = await jira.projects(accountId);
      const withTypes = await Promise.all(projects.map(async (p) => ({ ...p, issueTypes: await jira.issueTypes(accountId, p.key) })));
      sendJson(res, 200, { projects: withTypes });
      return;
    }
    if (path === '/__host/ui-modifications') {
      const projectId = url.searchParams.get('projectId') ?? '';
      const issueTypeId = url.searchParams.get('issueTypeId') ?? '';
      sendJson(res, 200, { uiModifications: await jira.uiModifications(projectId, issueTypeId) });
      return;
    }
    if (req.method === 'POST' && path === '/__host/create-issue') {
      const body = (await readJson(req)) as Record<string, unknown>;
      const text = (name: string) => (typeof body[name] === 'string' ? body[name] : '');
      const created = await jira.createIssue(accountId, {
        projectKey: text('projectKey'),
        issueTypeId: text('issueTypeId'),
        summary: text('summary'),
        description: text('description'),
      });
      sendJson(res, 201, created);
      return;
    }
    if (req.method !== 'GET') throw new HttpError(405, 'Method not allowed.');
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }

    const html = (status: number, body: string) => send(res, status, 'text/html; charset=utf-8', body);
    const projects = await jira.projects(accountId);

    if (path === '/') {
      html(200, page(session, projects, 'Projects', projectsPage(projects)));
      return;
    }
    if ((m = /^\/projects\/([A-Z][A-Z0-9_]*)\/issues\/?$/.exec(path))) {
      const project = findProject(projects, m[1] ?? '');
      const list = await jira.issues(accountId, project.key, url.searchParams.get('next') ?? undefined);
      html(200, page(session, projects, `${project.key} issues`, issueListPage(project, list.rows, list.nextPageToken), {
        project,
        active: 'issues',
        data: { projectKey: project.key },
      }));
      return;
    }
    if ((m = /^\/browse\/([A-Z][A-Z0-9_]*-\d+)$/.exec(path))) {
      let issue;
      try {
        issue = await jira.issue(accountId, m[1] ?? '');
      } catch (err) {
        if (err instanceof JiraReadError && (err.status === 404 || err.status === 403)) {
          throw new HttpError(404, `Issue ${m[1]} does not exist or you do not have permission to see it.`);
        }
        throw err;
      }
      const project = findProject(projects, issue.projectKey);
      const extension = {
        issue: { id: issue.id, key: issue.key, type: issue.type, typeId: issue.typeId },
        project: { id: project.id, key: project.key, type: 'software' },
      };
      const body = issuePage(
        issue,
        { module: panelModule, extension: { ...extension, isNewToIssue: false }, localId: `${panelModule.key}/${issue.id}`, sizing: 'content' },
        { module: contextModule, extension, localId: `${contextModule.key}/${issue.id}`, sizing: 'content' },
      );
      html(200, page(session, projects, `[${issue.key}] ${issue.summary}`, body, {
        project,
        active: 'issues',
        data: { projectKey: project.key, issue: { key: issue.key, id: issue.id, updated: issue.updated }, contextExtension: extension },
      }));
      return;
    }
    if ((m = /^\/projects\/([A-Z][A-Z0-9_]*)\/apps\/duplicates(\/.*)?$/.exec(path))) {
      const project = findProject(projects, m[1] ?? '');
      const historyBase = `/projects/${project.key}/apps/duplicates`;
      const body = appPage({
        module: projectModule,
        extension: { project: { id: project.id, key: project.key, type: 'software' } },
        localId: `${projectModule.key}/${project.id}`,
        historyBase,
        historyPath: (m[2] ?? '/') + url.search,
        sizing: 'fill',
      });
      html(200, page(session, projects, projectModule.title, body, { project, active: 'app', data: { projectKey: project.key } }));
      return;
    }
    if ((m = /^\/admin\/apps\/duplicates(\/.*)?$/.exec(path))) {
      const body = appPage({
        module: adminModule,
        extension: {},
        localId: `${adminModule.key}/global`,
        historyBase: '/admin/apps/duplicates',
        historyPath: (m[1] ?? '/') + url.search,
        sizing: 'fill',
      });
      html(200, page(session, projects, adminModule.title, body));
      return;
    }
    throw new HttpError(404, `Nothing at ${path}.`);
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    route(req, res, url).catch((err: unknown) => {
      const status = err instanceof HttpError || err instanceof JiraReadError ? err.status : 500;
      const message = err instanceof Error ? err.message : String(err);
      if (status >= 500) console.error(`[host] ${req.method} ${url.pathname}: ${message}`);
      if (res.headersSent) {
        res.end();
        return;
      }
      const wantsHtml = req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
      if (!wantsHtml) {
        sendJson(res, status, { error: message });
        return;
      }
      const session = readSession(req, users);
      send(res, status, 'text/html; charset=utf-8', page(session, [], 'Error', errorPage(status, message)));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  if (!site.siteUrl) site = { ...site, siteUrl: `http://127.0.0.1:${port}` };
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
