/**
 * Shared bits for the stand-in tests: a small two-project seed and a fetch
 * wrapper that sends the principal header and decodes JSON.
 */
import type { SeedData } from '../../sandbox/jira';

export const SMALL_SEED: SeedData = {
  projects: [
    { id: '10000', key: 'SHOP', name: 'Web Shop' },
    { id: '10001', key: 'MOB', name: 'Mobile App' },
    { id: '10002', key: 'OPS', name: 'Platform Ops' },
  ],
  issues: [
    { projectKey: 'SHOP', summary: 'Cart total off by one cent', description: 'Two discounted items.\nRounded twice.\n\n{code:java}\nround(round(x));\n{code}', type: 'Bug', status: 'To Do', statusCategory: 'new', created: '2024-01-05T10:00:00Z', labels: ['pricing'], components: ['Cart'], priority: 'High', reporter: 'member-1' },
    { projectKey: 'SHOP', summary: 'Gift wrapping at checkout', description: 'As a customer I want gift wrap.', type: 'Story', status: 'In Progress', statusCategory: 'indeterminate', created: '2024-02-05T10:00:00Z' },
    { projectKey: 'SHOP', summary: 'Remove legacy PayPal', type: 'Task', status: 'Done', statusCategory: 'done', created: '2024-03-05T10:00:00Z', updated: '2024-04-01T08:00:00Z', resolution: 'Done' },
    { projectKey: 'MOB', summary: 'Crash on rotate', description: '', type: 'Bug', status: 'To Do', statusCategory: 'new', created: '2024-01-20T10:00:00Z' },
    { projectKey: 'MOB', summary: 'Offline wishlist', type: 'Story', status: 'Backlog', statusCategory: 'new', created: '2024-05-20T10:00:00Z' },
    { projectKey: 'OPS', summary: 'Certificate expired on the API', type: 'Bug', status: 'Done', statusCategory: 'done', created: '2024-02-10T10:00:00Z' },
    { projectKey: 'OPS', summary: 'Upgrade EKS', type: 'Task', status: 'To Do', statusCategory: 'new', created: '2024-06-10T10:00:00Z' },
  ],
};

export interface Reply {
  status: number;
  headers: Headers;
  // JSON bodies are inspected loosely in tests.
  json: Record<string, unknown> & { errorMessages?: string[] };
  text: string;
}

export async function call(baseUrl: string, method: string, path: string, principal: string | null, body?: unknown): Promise<Reply> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (principal !== null) headers['x-sandbox-principal'] = principal;
  const res = await fetch(baseUrl + path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text.length > 0 ? (JSON.parse(text) as Reply['json']) : {} };
}

/** Narrowing helper for nested JSON in assertions. */
export function obj(v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`not an object: ${JSON.stringify(v)}`);
  return v as Record<string, unknown>;
}

export function arr(v: unknown): unknown[] {
  if (!Array.isArray(v)) throw new Error(`not an array: ${JSON.stringify(v)}`);
  return v;
}

/** Asymmetric matchers typed as unknown, so object literals in assertions stay free of `any`. */
export const anyString = (): unknown => expect.any(String);
export const containing = (text: string): unknown => expect.stringContaining(text);
export const matching = (re: RegExp): unknown => expect.stringMatching(re);
