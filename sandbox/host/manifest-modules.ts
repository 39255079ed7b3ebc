/**
 * The UI modules the shell can show, read from the app's own manifest.yml so the
 * shell frames exactly the resources and calls exactly the resolver functions that
 * Jira would. Nothing about the app is restated here.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export type UiModuleType =
  | 'jira:issuePanel'
  | 'jira:issueContext'
  | 'jira:projectPage'
  | 'jira:adminPage'
  | 'jira:uiModifications';

export interface UiModule {
  key: string;
  type: UiModuleType;
  title: string;
  /** Resource key; also the static folder name (static/<resource>/build). */
  resource: string;
  /** Function key that answers the frame's `invoke` calls. */
  resolverFunction: string | null;
  /** Function key for `dynamicProperties` (issue context badge), if any. */
  dynamicPropertiesFunction: string | null;
}

export interface UiModules {
  all: UiModule[];
  first(type: UiModuleType): UiModule;
  byKey(key: string): UiModule | undefined;
  /** Resource key → folder relative to the app root, from `resources:`. */
  resourcePaths: Map<string, string>;
}

const UI_TYPES: UiModuleType[] = [
  'jira:issuePanel',
  'jira:issueContext',
  'jira:projectPage',
  'jira:adminPage',
  'jira:uiModifications',
];

type Json = Record<string, unknown>;

function fnKey(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const fn = (value as Json)['function'];
  return typeof fn === 'string' ? fn : null;
}

export function readUiModules(manifestPath: string): UiModules {
  const manifest = parse(readFileSync(manifestPath, 'utf8')) as Json;
  const modules = (manifest['modules'] ?? {}) as Record<string, Json[] | undefined>;
  const all: UiModule[] = [];
  for (const type of UI_TYPES) {
    for (const m of modules[type] ?? []) {
      all.push({
        key: String(m['key']),
        type,
        title: String(m['title'] ?? m['key']),
        resource: String(m['resource']),
        resolverFunction: fnKey(m['resolver']),
        dynamicPropertiesFunction: fnKey(m['dynamicProperties']),
      });
    }
  }
  const resourcePaths = new Map<string, string>();
  for (const r of (manifest['resources'] ?? []) as Json[]) {
    resourcePaths.set(String(r['key']), String(r['path']));
  }
  return {
    all,
    resourcePaths,
    byKey: (key) => all.find((m) => m.key === key),
    first(type) {
      const found = all.find((m) => m.type === type);
      if (!found) throw new Error(`manifest.yml declares no ${type} module; the shell cannot show it.`);
      return found;
    },
  };
}
