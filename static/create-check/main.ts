/**
 * Duplicate check in Jira's create dialog (jira:uiModifications). No visible UI of
 * its own: when the summary (or description) loses focus, it asks `create.check`
 * for likely duplicates and writes them into the summary field's description.
 * It never blocks creation: every failure leaves the dialog as it was.
 */
import { uiModificationsApi, type HookApi } from '@forge/jira-bridge';
import { call } from '../shared/api';
import { loadContext, type AppContext } from '../shared/context';
import { formatMatches, plainTextOf } from './describe';

const CHECK_TIMEOUT_MS = 6000;
const MIN_SUMMARY_CHARS = 4;

let context: AppContext | null = null;
/**
 * Checks started so far. A check writes its answer only if no later one has started: the
 * summary can change again while a slow answer is on its way, and an old answer must not
 * replace the warning for the new text.
 */
let checksStarted = 0;
/** The summary's description as the admin configured it, restored when nothing matches. */
let originalDescription = '';

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  return Promise.race([promise, new Promise<null>((resolve) => setTimeout(() => resolve(null), ms))]);
}

/** The dialog's own project field wins: the user may have switched project since init. */
function projectId(api: HookApi): string | undefined {
  try {
    const value: unknown = api.getFieldById('project')?.getValue();
    if (value && typeof value === 'object') {
      const v = value as { id?: unknown; projectId?: unknown };
      if (typeof v.id === 'string' && v.id) return v.id;
      if (typeof v.projectId === 'string' && v.projectId) return v.projectId;
    }
  } catch {
    // The field may be absent from this screen.
  }
  return context?.project?.id || undefined;
}

function issueTypeId(api: HookApi): string | undefined {
  try {
    const value: unknown = api.getFieldById('issuetype')?.getValue();
    if (value && typeof value === 'object' && 'id' in value && typeof value.id === 'string') return value.id;
  } catch {
    // The field may be absent from this screen.
  }
  return context?.issueType?.id;
}

async function check(api: HookApi): Promise<void> {
  const summaryField = api.getFieldById('summary');
  if (!summaryField) return;
  const summary = String(summaryField.getValue() ?? '').trim();
  const mine = ++checksStarted;
  if (summary.length < MIN_SUMMARY_CHARS) {
    clearWarning(summaryField);
    return;
  }
  let description: string | undefined;
  try {
    description = plainTextOf(api.getFieldById('description')?.getValue(), 2000) || undefined;
  } catch {
    description = undefined;
  }
  const res = await withTimeout(
    call('create.check', { summary: summary.slice(0, 255), description, projectId: projectId(api), issueTypeId: issueTypeId(api) }),
    CHECK_TIMEOUT_MS,
  );
  if (mine !== checksStarted) return; // a newer check owns the field now
  if (res === null || !res.success) {
    console.warn(res === null ? '[dedupe] duplicate check timed out' : `[dedupe] duplicate check failed: ${res.error.code}`);
    // A warning about another summary or description would name issues that may have nothing to do with these.
    if (warnedFor !== null && warnedFor !== checkedText(summary, description)) clearWarning(summaryField);
    return;
  }
  const text = formatMatches(res.data.matches);
  const shown = text ? (originalDescription ? `${text}\n${originalDescription}` : text) : originalDescription;
  summaryField.setDescription(shown);
  warnedFor = text ? checkedText(summary, description) : null;
  written = text ? shown : null;
}

/** What a check was made for: the summary and description together. */
const checkedText = (summary: string, description: string | undefined): string => `${summary}\n${description ?? ''}`;

/** The summary and description the warning shown was worked out for (null: none shown). */
let warnedFor: string | null = null;
/** The summary's description with the warning, as the app last wrote it (null: none written). */
let written: string | null = null;

function clearWarning(summaryField: { setDescription(text: string): void }): void {
  summaryField.setDescription(originalDescription);
  warnedFor = null;
  written = null;
}

async function start(): Promise<void> {
  context = await loadContext((late) => {
    context = late;
  });
  await uiModificationsApi.onInit(
    async ({ api }) => {
      const summaryField = api.getFieldById('summary');
      const now = summaryField?.getDescription() ?? '';
      // The admin's description, unless what is there is the warning this frame wrote.
      if (written === null || now !== written) originalDescription = now;
      warnedFor = null;
      written = null;
      // Jira calls onInit again when the project or issue type changes (and after a create with
      // "Create another"), the summary as it was typed: no onChange comes for it, so it is
      // checked here, for the project and type now chosen (the summary field shows it is busy).
      if (String(summaryField?.getValue() ?? '').trim().length < MIN_SUMMARY_CHARS) return;
      try {
        await check(api);
      } catch (err) {
        console.warn('[dedupe] duplicate check failed', err);
      }
    },
    () => ['summary'],
  );
  await uiModificationsApi.onChange(
    async ({ api, change }) => {
      const changed = change.current?.getId();
      if (changed !== 'summary' && changed !== 'description') return;
      try {
        await check(api);
      } catch (err) {
        console.warn('[dedupe] duplicate check failed', err);
      }
    },
    () => ['summary'],
  );
}

start().catch((err: unknown) => console.warn('[dedupe] create-dialog check could not start', err));
