/**
 * Typed view of the Forge context each surface reads. The bridge types the
 * extension as `any`, so this narrows it once, defensively, instead of every
 * caller guessing.
 */
import { view } from '@forge/bridge';

export interface IssueRefContext {
  id: string;
  key: string;
  type?: string;
}

export interface ProjectRefContext {
  id: string;
  key: string;
  type?: string;
}

export interface AppContext {
  accountId: string | null;
  siteUrl: string | null;
  moduleKey: string | null;
  colorMode: 'light' | 'dark';
  extensionType: string | null;
  issue: IssueRefContext | null;
  project: ProjectRefContext | null;
  issueType: { id: string; name: string } | null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;
}

function ref(v: unknown): { id: string; key: string; type?: string } | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  const id = str(o.id);
  const key = str(o.key);
  if (id === null && key === null) return null;
  const type = str(o.type);
  return { id: id ?? '', key: key ?? '', ...(type !== null ? { type } : {}) };
}

export function parseContext(raw: unknown): AppContext {
  const c = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const ext = (typeof c.extension === 'object' && c.extension !== null ? c.extension : {}) as Record<string, unknown>;
  const theme = (typeof c.theme === 'object' && c.theme !== null ? c.theme : {}) as Record<string, unknown>;
  const it = (typeof ext.issueType === 'object' && ext.issueType !== null ? ext.issueType : null) as Record<string, unknown> | null;
  const itId = it ? str(it.id) : null;
  return {
    accountId: str(c.accountId),
    siteUrl: str(c.siteUrl),
    moduleKey: str(c.moduleKey),
    colorMode: theme.colorMode === 'dark' ? 'dark' : 'light',
    extensionType: str(ext.type),
    issue: ref(ext.issue),
    project: ref(ext.project),
    issueType: it && itId !== null ? { id: itId, name: str(it.name) ?? '' } : null,
  };
}

/** A host that never answers must not leave the page blank: carry on without context. */
const CONTEXT_TIMEOUT_MS = 8000;

/**
 * The Forge context, or an empty one when the host has not answered within
 * CONTEXT_TIMEOUT_MS. A host that answers after that (a busy browser, a slow frame) is not
 * lost: `onLate` gets the real context, so the surface can show "You" and the theme it asked for.
 */
export async function loadContext(onLate?: (context: AppContext) => void): Promise<AppContext> {
  let timedOut = false;
  const asked = view.getContext();
  try {
    const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), CONTEXT_TIMEOUT_MS));
    const raw: unknown = await Promise.race([asked, timeout]);
    if (raw === null) {
      timedOut = true;
      console.warn('[dedupe] getContext did not answer in time');
    }
    return parseContext(raw);
  } catch (err) {
    console.error('[dedupe] getContext failed', err);
    return parseContext(null);
  } finally {
    if (timedOut && onLate) {
      asked.then(
        (raw) => {
          if (raw !== null && raw !== undefined) onLate(parseContext(raw));
        },
        () => undefined,
      );
    }
  }
}
