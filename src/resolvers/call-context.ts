import { z } from 'zod';
import { ApiFailure } from './api-failure';
import type { Audience } from './error-mapping';

/**
 * What a resolver method knows about its caller. Built per invocation from the Forge
 * context (never stored in module scope: warm containers serve many sites and users).
 */
export interface CallContext {
  /** The acting user (from the invocation's principal, not from the payload). */
  accountId: string;
  /** The issue the surface is showing (issue panel / issue context), when any. */
  issue: { id: string; key: string } | null;
  /** The project the surface is showing (project page, issue view), when any. */
  project: { id: string; key: string } | null;
  /** e.g. `jira:issuePanel`, for logs. */
  moduleType: string | null;
  /** Epoch ms when the call started: helpers budget Jira calls against the 25 s limit. */
  startedAt: number;
  /**
   * The site's address as Forge gives it (`https://your-site.atlassian.net`, no trailing
   * slash), for links written into exports; null when absent or not an http(s) address.
   */
  siteUrl?: string | null;
  /**
   * Who reads the surface's answers (its `defineAll` option; `users` when absent): a method
   * that words an error itself (`mapError`) gives the advice that fits them.
   */
  audience?: Audience;
}

/** The site's address from the context, when it is a plain http(s) origin. */
export function siteUrlOf(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 500) return null;
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') return null;
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return null;
  }
}

const idLike = z.union([z.string(), z.number()]).transform((v) => String(v));

// Forge sends more than this; we read only what we use and ignore the rest.
const extensionSchema = z
  .object({
    type: z.string().optional(),
    issue: z.object({ id: idLike, key: z.string() }).partial().optional(),
    project: z.object({ id: idLike, key: z.string() }).partial().optional(),
  })
  .optional();

function pair(value: { id?: string; key?: string } | undefined): { id: string; key: string } | null {
  if (!value || value.id === undefined || value.key === undefined) return null;
  return { id: value.id, key: value.key };
}

/** Throws ApiFailure FORBIDDEN when there is no signed-in user (anonymous or broken context). */
export function readCallContext(raw: unknown): CallContext {
  const ctx = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const accountId = ctx['accountId'];
  if (typeof accountId !== 'string' || accountId.length === 0) {
    throw new ApiFailure('FORBIDDEN', 'Sign in to Jira to use this app.');
  }
  const parsed = extensionSchema.safeParse(ctx['extension']);
  const extension = parsed.success ? parsed.data : undefined;
  return {
    accountId,
    issue: pair(extension?.issue),
    project: pair(extension?.project),
    moduleType: extension?.type ?? null,
    startedAt: Date.now(),
    siteUrl: siteUrlOf(ctx['siteUrl']),
  };
}
