/**
 * What the migration claim's tests (migration-burst, migration-claim) share: the docs table as
 * it was before v013, the statement that adds its column back, and the statements the app sends
 * during each test.
 */
import type { LocalForge } from '../../../sandbox/runtime';

/** v013's DDL: what a write meeting the docs table before v013 makes one pass send. */
export const LINKS_MS_DDL = /ADD COLUMN IF NOT EXISTS links_ms/;

/** DDL, or the migration runner's read of the migrations applied (it goes to the DDL endpoint too). */
export function isDdl(query: string): boolean {
  return /^\s*(CREATE|ALTER|DROP)\b/i.test(query) || /FROM __migrations/i.test(query);
}

/** The docs table as it was before v013: no links_ms, and no record of the migration. */
export async function beforeV013(forge: LocalForge): Promise<void> {
  await forge.sql.query('ALTER TABLE docs DROP COLUMN links_ms');
  await forge.sql.query("DELETE FROM __migrations WHERE name = 'v013-docs-links-ms'");
}

/**
 * The statements the app sends to the runtime `forge()` returns, in order, from the start of
 * each test of the calling `describe` to its end (the list is emptied before each test); SQL
 * faults still set are cleared after each test.
 */
export function recordStatements(forge: () => LocalForge): readonly string[] {
  const seen: string[] = [];
  let unobserve: () => void = () => undefined;
  beforeEach(() => {
    seen.length = 0;
    unobserve = forge().sql.observe((query) => {
      seen.push(query);
    });
  });
  afterEach(() => {
    unobserve();
    forge().sql.faults.clear();
  });
  return seen;
}
