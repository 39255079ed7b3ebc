import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The shared Hadoop dev set, resolved from the repository root; never copied into the repo. */
export const DEV_SET_DIR = resolve(__dirname, '..', '..', '..', 'shared', 'datasets', 'hadoop-jira');

export interface DevIssue {
  id: string;
  summary: string;
  description: string | null;
  created: string;
}

export function devSetPresent(): boolean {
  return existsSync(join(DEV_SET_DIR, 'issues.jsonl')) && existsSync(join(DEV_SET_DIR, 'pairs.csv'));
}

/** `describe` when the dev set is present, else `describe.skip` with a note saying why. */
export function describeWithDevSet(name: string, fn: () => void): void {
  if (devSetPresent()) {
    describe(name, fn);
  } else {
    console.warn(`skipping "${name}": dev set not found at ${DEV_SET_DIR}`);
    describe.skip(name, fn);
  }
}

export function loadDevIssues(): DevIssue[] {
  return readFileSync(join(DEV_SET_DIR, 'issues.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as DevIssue);
}

export function loadDevPairs(): Array<[string, string]> {
  return readFileSync(join(DEV_SET_DIR, 'pairs.csv'), 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.includes(','))
    .map((l) => l.trim().split(',') as [string, string]);
}
