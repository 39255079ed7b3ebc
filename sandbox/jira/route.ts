/**
 * The contract between the server and its route modules: a route matches a
 * method and a path regex (named groups become params) and answers a status,
 * a JSON body and headers.
 */
import type { z } from 'zod';
import type { JiraCore } from './core';
import { JiraHttpError, issueNotFound } from './jira-http-error';
import type { Principal } from './principals';
import type { StoredIssue } from './types';

export interface RequestContext {
  core: JiraCore;
  method: string;
  path: string;
  params: Map<string, string>;
  query: URLSearchParams;
  body: unknown;
  principal: Principal;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  methods: string[];
  pattern: RegExp;
  /** The path with parameters as `{name}`, used to count requests per endpoint. */
  template: string;
  handler: (ctx: RequestContext) => RouteResult | Promise<RouteResult>;
}

export function route(methods: string | string[], pattern: RegExp, handler: Route['handler']): Route {
  const template = pattern.source
    .replace(/^\^|\$$/g, '')
    .replace(/\(\?<(\w+)>[^)]*\)/g, '{$1}')
    .replace(/\\\//g, '/');
  return { methods: Array.isArray(methods) ? methods : [methods], pattern, template, handler };
}

export function ok(body: unknown, status = 200): RouteResult {
  return { status, body };
}

/** Validates a request body with zod; failures become Jira-shaped 400s naming the field. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const errors: Record<string, string> = {};
  const messages: string[] = [];
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join('.');
    if (path.length > 0 && errors[path] === undefined) errors[path] = issue.message;
    else if (path.length === 0) messages.push(issue.message);
  }
  if (messages.length === 0 && Object.keys(errors).length === 0) messages.push('Invalid request payload. Refer to the REST API documentation and try again.');
  throw new JiraHttpError(400, messages, errors);
}

export function param(ctx: RequestContext, name: string): string {
  const v = ctx.params.get(name);
  if (v === undefined) throw new Error(`route has no parameter ${name}`);
  return v;
}

/** The issue named by id or key, if the caller may browse it (project and security level); otherwise Jira's 404. */
export function browsableIssue(ctx: RequestContext, idOrKey: string): StoredIssue {
  const issue = ctx.core.store.getIssue(idOrKey);
  if (!issue || !ctx.core.permissions.canBrowseIssue(ctx.principal, issue)) throw issueNotFound();
  return issue;
}

/** `?fields=a,b&fields=c` → ['a','b','c']; undefined when absent. */
export function listParam(query: URLSearchParams, name: string): string[] | undefined {
  const all = query.getAll(name);
  if (all.length === 0) return undefined;
  return all.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v.length > 0);
}
