/**
 * The JQL fields the stand-in knows, their aliases, and which operators each
 * accepts. Anything not listed here is "does not exist", as Jira says for a
 * field the caller cannot see.
 */
import type { Operator } from './parser';

export type FieldKind =
  | 'project'
  | 'issuetype'
  | 'status'
  | 'statusCategory'
  | 'date'
  | 'key'
  | 'id'
  | 'multi'
  | 'single'
  | 'text'
  | 'reporter';

export interface FieldDef {
  /** The name Jira's parse structure reports. */
  name: string;
  kind: FieldKind;
  operators: ReadonlySet<Operator>;
  sortable: boolean;
}

const EQUALITY: Operator[] = ['=', '!=', 'in', 'not in'];
const OPTIONAL: Operator[] = [...EQUALITY, 'is', 'is not'];
const ORDERED: Operator[] = ['=', '!=', '>', '>=', '<', '<=', 'is', 'is not', 'in', 'not in'];
const TEXT: Operator[] = ['~', '!~', 'is', 'is not'];

function def(name: string, kind: FieldKind, ops: Operator[], sortable: boolean): FieldDef {
  return { name, kind, operators: new Set(ops), sortable };
}

const DEFS: Array<[string[], FieldDef]> = [
  [['project'], def('project', 'project', EQUALITY, true)],
  [['issuetype', 'type'], def('issuetype', 'issuetype', EQUALITY, true)],
  [['status'], def('status', 'status', EQUALITY, true)],
  [['statuscategory', 'category'], def('statusCategory', 'statusCategory', EQUALITY, false)],
  [['created', 'createddate'], def('created', 'date', ORDERED, true)],
  [['updated', 'updateddate'], def('updated', 'date', ORDERED, true)],
  [['resolved', 'resolutiondate'], def('resolved', 'date', ORDERED, true)],
  [['key', 'issuekey', 'issue'], def('key', 'key', ['=', '!=', 'in', 'not in', '>', '>=', '<', '<='], true)],
  [['id'], def('id', 'id', ['=', '!=', 'in', 'not in', '>', '>=', '<', '<='], true)],
  [['labels'], def('labels', 'multi', OPTIONAL, true)],
  [['component'], def('component', 'multi', OPTIONAL, true)],
  [['affectedversion'], def('affectedVersion', 'multi', OPTIONAL, true)],
  [['priority'], def('priority', 'single', OPTIONAL, true)],
  [['resolution'], def('resolution', 'single', OPTIONAL, true)],
  [['summary'], def('summary', 'text', TEXT, true)],
  [['description'], def('description', 'text', TEXT, false)],
  [['text'], def('text', 'text', ['~'], false)],
  [['reporter'], def('reporter', 'reporter', OPTIONAL, true)],
];

const BY_ALIAS = new Map<string, FieldDef>();
for (const [aliases, d] of DEFS) for (const a of aliases) BY_ALIAS.set(a, d);

export function lookupField(name: string): FieldDef | undefined {
  return BY_ALIAS.get(name.toLowerCase());
}

/** The fields `jql/parse` and error messages may mention, for docs and tests. */
export function knownFieldNames(): string[] {
  return DEFS.map(([, d]) => d.name);
}
