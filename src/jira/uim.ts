/**
 * The app's UI modification entity (the duplicate check in the create dialog).
 *
 * UI modifications belong to the app that made them and are managed as the app; the
 * resolver checks that the caller is a Jira admin before calling anything here.
 */
import { z } from 'zod';
import { jira, route } from './client';

/** One entity, found again by this name: registering twice updates instead of adding. */
export const UIM_NAME = 'dedupe-create-check';
const UIM_DESCRIPTION = 'Warns about possible duplicates while an issue is being created.';

export interface UimContext {
  projectId: string;
  /** null: every issue type of the project. */
  issueTypeId: string | null;
  viewType: 'GIC';
}

const idish = z.union([z.string(), z.number()]).transform(String);

const uimPage = z.object({
  values: z.array(
    z.object({
      id: idish,
      name: z.string(),
      // Present when the request asks for `expand=contexts`.
      contexts: z
        .array(z.object({ projectId: idish.nullable().optional(), viewType: z.string().nullable().optional() }))
        .optional(),
    }),
  ),
  isLast: z.boolean().optional(),
});

const created = z.object({ id: idish });

/** The app's entity as Jira has it: its id and the projects whose create dialog it runs on. */
export interface RegisteredUim {
  id: string;
  /** Projects with a create-dialog (GIC) context, in Jira's order, each once. */
  projectIds: string[];
}

/** The app's UI modification, or null when none is registered. */
export async function readUiModification(): Promise<RegisteredUim | null> {
  for (let startAt = 0; startAt < 1000; startAt += 50) {
    const { data } = await jira({ as: 'app' }, 'GET', route`/rest/api/3/uiModifications?expand=contexts&startAt=${startAt}&maxResults=50`, { schema: uimPage });
    const hit = data.values.find((v) => v.name === UIM_NAME);
    if (hit) {
      const gic = (hit.contexts ?? []).filter((c) => (c.viewType ?? 'GIC') === 'GIC' && typeof c.projectId === 'string').map((c) => c.projectId as string);
      return { id: hit.id, projectIds: [...new Set(gic)] };
    }
    if (data.isLast !== false || data.values.length < 50) return null;
  }
  return null;
}

/** One create-dialog context per project, on every issue type. */
export function createDialogContexts(projectIds: string[]): UimContext[] {
  return [...new Set(projectIds)].map((projectId) => ({ projectId, issueTypeId: null, viewType: 'GIC' as const }));
}

/**
 * Creates the entity or replaces the contexts of the existing one. Returns its id.
 * `known`: the entity as `readUiModification` just found it (saves reading it again).
 */
export async function upsertUiModification(contexts: UimContext[], known?: RegisteredUim | null): Promise<{ id: string; created: boolean }> {
  const body = { name: UIM_NAME, description: UIM_DESCRIPTION, data: JSON.stringify({ version: 1 }), contexts };
  const existing = known === undefined ? ((await readUiModification())?.id ?? null) : (known?.id ?? null);
  if (existing !== null) {
    await jira({ as: 'app' }, 'PUT', route`/rest/api/3/uiModifications/${existing}`, { body });
    return { id: existing, created: false };
  }
  const { data } = await jira({ as: 'app' }, 'POST', route`/rest/api/3/uiModifications`, { body, schema: created });
  return { id: data.id, created: true };
}
