/**
 * The HTTP side: read the request, apply injected latency and faults, work
 * out the principal, dispatch to a route and write Jira-shaped JSON. Any path
 * the stand-in does not know answers a loud 404 so gaps show up in tests.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JiraCore } from './core';
import { JiraHttpError } from './jira-http-error';
import type { Principal } from './principals';
import type { Route, RouteResult } from './route';
import { directoryRoutes } from './routes/directory';
import { issueRoutes } from './routes/issues';
import { linkRoutes } from './routes/links';
import { permissionRoutes } from './routes/permissions';
import { privacyRoutes } from './routes/privacy';
import { sandboxRoutes } from './routes/sandbox-control';
import { searchRoutes } from './routes/search';
import { uiModificationRoutes } from './routes/ui-modifications';

const JIRA_ROUTES: Route[] = [
  ...searchRoutes,
  ...issueRoutes,
  ...linkRoutes,
  ...permissionRoutes,
  ...directoryRoutes,
  ...uiModificationRoutes,
  ...privacyRoutes,
];
const MAX_BODY_BYTES = 10 * 1024 * 1024;

function findRoute(routes: Route[], method: string, path: string): { route: Route; params: Map<string, string> } | 'wrong-method' | undefined {
  let pathMatched = false;
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (!r.methods.includes(method)) continue;
    const params = new Map<string, string>();
    for (const [k, v] of Object.entries(m.groups ?? {})) params.set(k, decodeURIComponent(v));
    return { route: r, params };
  }
  return pathMatched ? 'wrong-method' : undefined;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, result: RouteResult): void {
  const headers: Record<string, string> = { ...(result.headers ?? {}) };
  if (result.body === undefined) {
    res.writeHead(result.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(result.body);
  headers['Content-Type'] = 'application/json;charset=UTF-8';
  res.writeHead(result.status, headers);
  res.end(text);
}

function errorResult(e: JiraHttpError): RouteResult {
  return { status: e.status, body: e.body(), headers: e.headers };
}

async function handle(core: JiraCore, req: http.IncomingMessage): Promise<RouteResult> {
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(req.url ?? '/', 'http://stand-in');
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
  const rawBody = await readBody(req);

  const isControl = path.startsWith('/__sandbox/');
  const found = findRoute(isControl ? sandboxRoutes : JIRA_ROUTES, method, path);
  if (!isControl) {
    const endpoint = found && found !== 'wrong-method' ? `${method} ${found.route.template}` : `${method} ${path} (unhandled)`;
    core.requestCounts.set(endpoint, (core.requestCounts.get(endpoint) ?? 0) + 1);
    await core.faults.delay(path);
    const fault = core.faults.take(path);
    if (fault) return fault;
  }

  if (found === undefined || found === 'wrong-method') {
    if (found === 'wrong-method') return { status: 405, body: { errorMessages: [`Method ${method} is not allowed on ${path}.`], errors: {} } };
    const message = `Jira stand-in: no handler for ${method} ${path} — add it to sandbox/jira if the app needs it`;
    console.error(message);
    return { status: 404, body: { errorMessages: [message], errors: {} } };
  }

  let principal: Principal = { kind: 'app', accountId: core.permissions.appAccountId };
  if (!isControl) {
    const header = req.headers['x-sandbox-principal'];
    const lookup = core.permissions.resolve(Array.isArray(header) ? header[0] : header);
    if (!lookup.ok) {
      return { status: 401, body: { errorMessages: [`Client must be authenticated to access this resource (${lookup.reason}).`], errors: {} } };
    }
    principal = lookup.principal;
  }

  let body: unknown = undefined;
  if (rawBody.trim().length > 0) {
    try {
      body = JSON.parse(rawBody);
    } catch {
      return { status: 400, body: { errorMessages: ['The request body is not valid JSON.'], errors: {} } };
    }
  }

  try {
    return await found.route.handler({ core, method, path, params: found.params, query: url.searchParams, body, principal });
  } catch (e) {
    if (e instanceof JiraHttpError) return errorResult(e);
    console.error(`Jira stand-in: ${method} ${path} failed:`, e);
    return { status: 500, body: { errorMessages: ['Jira stand-in: internal error, see the server log.'], errors: {} } };
  }
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export async function listen(core: JiraCore, port: number): Promise<RunningServer> {
  const server = http.createServer((req, res) => {
    handle(core, req).then(
      (result) => send(res, result),
      (err: unknown) => {
        console.error('Jira stand-in: request failed:', err);
        send(res, { status: 500, body: { errorMessages: ['Jira stand-in: internal error.'], errors: {} } });
      },
    );
  });
  // Keep-alive sockets would hold close() open in tests.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
