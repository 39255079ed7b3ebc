/**
 * The shell's pages, rendered on the server. Everything that came from Jira goes
 * through the escaping `html` tag, so issue text can only ever show up as text.
 */
import { html, jsonForScript, raw, type Markup } from './html';
import type { IssueDetail, IssueRow, ProjectSummary } from './jira-reader';
import type { UiModule } from './manifest-modules';
import type { Session, ShellUser } from './session';

export interface FrameSpec {
  module: UiModule;
  /** What Forge puts in `context.extension` besides the module type. */
  extension: Record<string, unknown>;
  /** Unique per rendered instance, like Forge's localId. */
  localId: string;
  /** For project and admin pages: the shell path the frame's router history sits under. */
  historyBase?: string;
  historyPath?: string;
  /** Grow with the content (panels), or with the content but at least the main area (pages). */
  sizing: 'content' | 'fill';
}

export interface LayoutInput {
  session: Session;
  users: readonly ShellUser[];
  title: string;
  projects: ProjectSummary[];
  /** Sidebar for a project, when the page belongs to one. */
  project?: ProjectSummary;
  active?: 'issues' | 'app';
  body: Markup;
  /** Extra data for the shell script (page kind, issue keys, ...). */
  data?: Record<string, unknown>;
  appPageTitle: string;
}

export function frame(spec: FrameSpec): Markup {
  const extension = { type: spec.module.type, ...spec.extension };
  return html`<iframe class="forge-frame forge-frame--${spec.sizing}"
    title="${spec.module.title}"
    data-module-key="${spec.module.key}"
    data-local-id="${spec.localId}"
    data-extension="${JSON.stringify(extension)}"
    data-history-base="${spec.historyBase ?? ''}"
    data-history-path="${spec.historyPath ?? '/'}"
    src="/static/${spec.module.resource}/"></iframe>`;
}

export function layout(input: LayoutInput): string {
  const { session, users, project } = input;
  const data = {
    user: session.user,
    colorMode: session.colorMode,
    projects: input.projects,
    ...input.data,
  };
  const sidebar = project
    ? html`<nav class="sidebar" aria-label="Project navigation">
        <div class="sidebar__project"><span class="avatar">${project.key.slice(0, 1)}</span>
          <div><strong>${project.name}</strong><small>Software project</small></div></div>
        <a class="${input.active === 'issues' ? 'active' : ''}" href="/projects/${project.key}/issues">Issues</a>
        <div class="sidebar__section">Apps</div>
        <a class="${input.active === 'app' ? 'active' : ''}" data-testid="sidebar-app-link"
          href="/projects/${project.key}/apps/duplicates">${input.appPageTitle}</a>
      </nav>`
    : html``;
  const page = html`<!doctype html>
<html lang="en" data-color-mode="${session.colorMode}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${input.title} - Jira sandbox</title>
<link rel="stylesheet" href="/__host/shell.css">
</head>
<body>
<header class="topbar">
  <a class="brand" href="/"><span class="brand__mark">◆</span> Jira <small>sandbox</small></a>
  <a href="/">Projects</a>
  <a href="/admin/apps/duplicates" data-testid="admin-link">Apps settings</a>
  <button type="button" class="button button--primary" data-testid="create-button" id="create-button">Create</button>
  <span class="topbar__spacer"></span>
  <button type="button" class="button" id="theme-toggle" data-testid="theme-toggle"
    aria-pressed="${session.colorMode === 'dark' ? 'true' : 'false'}">${session.colorMode === 'dark' ? 'Light theme' : 'Dark theme'}</button>
  <label class="user-switch">User
    <select id="user-switch" data-testid="user-switch">
      ${users.map((u) => html`<option value="${u.accountId}" ${raw(u.accountId === session.user.accountId ? 'selected' : '')}>${u.displayName} (${u.role})</option>`)}
    </select>
  </label>
</header>
<div class="frame-layout">
  ${sidebar}
  <main class="main" id="main">${input.body}</main>
</div>
<div class="flags" id="flags" aria-live="polite"></div>
<script type="application/json" id="shell-data">${jsonForScript(data)}</script>
<script src="/__host/shell.js"></script>
<script src="/__host/create-dialog.js"></script>
</body>
</html>`;
  return page.value;
}

export function projectsPage(projects: ProjectSummary[]): Markup {
  return html`<h1>Projects</h1>
  ${projects.length === 0 ? html`<p class="empty">You cannot browse any project.</p>` : html``}
  <table class="table" data-testid="project-list">
    <thead><tr><th>Key</th><th>Name</th><th></th></tr></thead>
    <tbody>${projects.map(
      (p) => html`<tr><td>${p.key}</td><td><a href="/projects/${p.key}/issues">${p.name}</a></td>
        <td><a href="/projects/${p.key}/apps/duplicates">Duplicate review</a></td></tr>`,
    )}</tbody>
  </table>`;
}

function statusLozenge(status: string, category: string): Markup {
  return html`<span class="lozenge lozenge--${category}">${status}</span>`;
}

export function issueListPage(project: ProjectSummary, rows: IssueRow[], nextPageToken: string | null): Markup {
  return html`<div class="page-header"><h1>${project.name} issues</h1></div>
  <table class="table" data-testid="issue-list">
    <thead><tr><th>Key</th><th>Type</th><th>Summary</th><th>Status</th></tr></thead>
    <tbody>${rows.map(
      (r) => html`<tr data-issue-key="${r.key}"><td><a href="/browse/${r.key}">${r.key}</a></td><td>${r.type}</td>
        <td><a href="/browse/${r.key}">${r.summary}</a></td><td>${statusLozenge(r.status, r.statusCategory)}</td></tr>`,
    )}</tbody>
  </table>
  ${rows.length === 0 ? html`<p class="empty">No issues.</p>` : html``}
  ${nextPageToken ? html`<p><a class="button" href="?next=${encodeURIComponent(nextPageToken)}">Next page</a></p>` : html``}`;
}

export function linksList(issue: IssueDetail): Markup {
  if (issue.links.length === 0) return html`<p class="empty" data-testid="no-links">No linked issues.</p>`;
  return html`<ul class="links">${issue.links.map(
    (l) => html`<li data-link-type="${l.typeName}"><span class="links__relation">${l.relation}</span>
      <a href="/browse/${l.key}">${l.key}</a> <span>${l.summary}</span> ${l.status ? statusLozenge(l.status, 'unknown') : html``}</li>`,
  )}</ul>`;
}

/** Jira's `2024-01-01T10:00:00.000+0000` as `2024-01-01 10:00 UTC`. */
function when(value: string): string {
  const ms = Date.parse(value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isNaN(ms) ? value : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function issuePage(issue: IssueDetail, panel: FrameSpec, context: FrameSpec): Markup {
  const field = (label: string, value: string | null | undefined) =>
    html`<dt>${label}</dt><dd>${value && value.length > 0 ? value : 'None'}</dd>`;
  return html`<div class="breadcrumbs"><a href="/projects/${issue.projectKey}/issues">${issue.projectKey}</a> / ${issue.key}</div>
  <div class="issue">
    <section class="issue__main">
      <h1 data-testid="issue-summary">${issue.summary}</h1>
      <h2>Description</h2>
      <div class="description" data-testid="issue-description">${issue.description || 'Add a description...'}</div>
      <h2>Issue links</h2>
      <div id="issue-links" data-testid="issue-links">${linksList(issue)}</div>
      <h2>${panel.module.title}</h2>
      ${frame(panel)}
    </section>
    <aside class="issue__side">
      <div class="status-row">${statusLozenge(issue.status, issue.statusCategory)}</div>
      <div class="context-box" data-testid="issue-context" data-module-key="${context.module.key}">
        <button type="button" class="context-box__header" aria-expanded="false">
          <span>${context.module.title}</span>
          <span class="badge" data-testid="issue-context-badge" hidden></span>
        </button>
        <template>${frame(context)}</template>
      </div>
      <dl class="fields">
        ${field('Type', issue.type)}
        ${field('Priority', issue.priority)}
        ${field('Resolution', issue.resolution)}
        ${field('Labels', issue.labels.join(', '))}
        ${field('Components', issue.components.join(', '))}
        ${field('Reporter', issue.reporter)}
        ${field('Created', when(issue.created))}
        ${field('Updated', when(issue.updated))}
      </dl>
    </aside>
  </div>`;
}

/** A full-page app surface: the app draws its own heading, as in Jira. */
export function appPage(spec: FrameSpec): Markup {
  return frame(spec);
}

export function errorPage(status: number, message: string): Markup {
  return html`<h1>${status === 404 ? 'Not found' : status === 403 ? 'No access' : 'Something went wrong'}</h1>
  <p class="error" data-testid="shell-error">${message}</p>`;
}
