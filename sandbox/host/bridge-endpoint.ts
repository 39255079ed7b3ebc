/**
 * `POST /__bridge`: the server half of the frames' bridge. The shell page forwards
 * the commands that need the app or Jira (invoke, getContext, fetchProduct, the
 * issue context's dynamic properties); the acting account always comes from the
 * session cookie, never from the page.
 */
import { forgeContext, type FrameCall, type HostForge, type SiteInfo } from './forge-context';
import type { UiModules } from './manifest-modules';
import type { Session } from './session';

export interface BridgeRequest {
  command: string;
  payload: unknown;
  moduleKey: string;
  localId: string;
  extension: Record<string, unknown>;
}

export type BridgeAnswer = { ok: true; result: unknown } | { ok: false; error: string };

export interface BridgeDeps {
  forge: HostForge;
  modules: UiModules;
  site: SiteInfo;
  jiraUrl: string;
}

type Json = Record<string, unknown>;

function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

export function parseBridgeRequest(body: unknown): BridgeRequest | null {
  const b = obj(body);
  if (typeof b['command'] !== 'string' || typeof b['moduleKey'] !== 'string') return null;
  return {
    command: b['command'],
    payload: b['payload'],
    moduleKey: b['moduleKey'],
    localId: typeof b['localId'] === 'string' ? b['localId'] : b['moduleKey'],
    extension: obj(b['extension']),
  };
}

/** requestJira from the browser: the product call runs as the signed-in user. */
async function fetchProduct(jiraUrl: string, accountId: string, payload: unknown): Promise<unknown> {
  const p = obj(payload);
  const init = obj(p['fetchRequestInit']);
  const restPath = typeof p['restPath'] === 'string' ? p['restPath'] : '';
  if (!restPath.startsWith('/rest/')) throw new Error('fetchProduct: restPath must start with /rest/.');
  const headers = new Headers(Array.isArray(init['headers']) ? (init['headers'] as [string, string][]) : []);
  headers.set('x-sandbox-principal', `user:${accountId}`);
  const method = typeof init['method'] === 'string' ? init['method'] : 'GET';
  const res = await fetch(new URL(restPath, jiraUrl), {
    method,
    headers,
    body: typeof init['body'] === 'string' && method !== 'GET' ? init['body'] : undefined,
  });
  return {
    body: await res.text(),
    headers: Object.fromEntries(res.headers.entries()),
    status: res.status,
    statusText: res.statusText,
    isAttachment: false,
  };
}

export async function answerBridge(deps: BridgeDeps, session: Session, req: BridgeRequest): Promise<BridgeAnswer> {
  const module = deps.modules.byKey(req.moduleKey);
  if (!module) return { ok: false, error: `Unknown module "${req.moduleKey}".` };
  // The module type is Jira's to say, not the page's.
  const call: FrameCall = {
    accountId: session.user.accountId,
    moduleKey: module.key,
    localId: req.localId,
    extension: { ...req.extension, type: module.type },
  };
  try {
    switch (req.command) {
      case 'getContext':
        return { ok: true, result: forgeContext(deps.site, call, session.colorMode) };
      case 'invoke': {
        const p = obj(req.payload);
        if (!module.resolverFunction) return { ok: false, error: `Module ${module.key} has no resolver.` };
        if (typeof p['functionKey'] !== 'string') return { ok: false, error: 'functionKey must be a string!' };
        const result = await deps.forge.callResolver(module.resolverFunction, p['functionKey'], p['payload'] ?? {}, call);
        return { ok: true, result };
      }
      case 'dynamicProperties': {
        if (!module.dynamicPropertiesFunction) return { ok: true, result: null };
        return { ok: true, result: await deps.forge.dynamicProperties(module.dynamicPropertiesFunction, call) };
      }
      case 'fetchProduct':
        return { ok: true, result: await fetchProduct(deps.jiraUrl, session.user.accountId, req.payload) };
      default:
        return { ok: false, error: `The sandbox host does not support the bridge command "${req.command}".` };
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, error: `There was an error invoking the function - ${message}` };
  }
}
