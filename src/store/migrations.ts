/**
 * The schema, as an append-only list of idempotent DDL statements, applied by the runner at the
 * end of this file (which records applied names in `__migrations`, the table and statements of
 * @forge/sql's `migrationRunner`, so sites migrated by it carry on).
 *
 * Every statement is `CREATE TABLE IF NOT EXISTS` with its indexes inline, so two
 * invocations migrating at once (install event + first scheduled run + a lazy
 * migration after "table doesn't exist") all succeed: the loser's DDL is a no-op and a
 * duplicate `__migrations` row is harmless. They seldom overlap: a pass holds the migration
 * claim (src/store/migration-claim.ts, v017), and other invocations wait for it rather than
 * spend Forge SQL's 25 DDL requests a minute on the same statements. Never edit a shipped
 * statement; append a new one (e.g. `ALTER TABLE … ADD COLUMN IF NOT EXISTS …`, accepted by
 * MariaDB and TiDB).
 *
 * A fresh install (no migration recorded) does not send these one by one: it creates the
 * schema as it stands after BASELINE_THROUGH from src/store/baseline.ts, one statement per
 * table, records every migration up to that one, and runs only the later ones. A pass keeps its
 * DDL requests within Forge's 25 a minute (src/store/ddl-budget.ts): past that it waits, while
 * its deadline allows, or stops and leaves the rest to the next pass.
 *
 * Times are BIGINT milliseconds since the epoch (UTC): unambiguous on TiDB and MariaDB
 * and cheap to compare; DATETIME would come back as zone-less strings. No foreign keys,
 * no AUTO_INCREMENT (Forge SQL), natural keys everywhere.
 */
import { randomUUID } from 'node:crypto';
import { sql } from '@forge/sql';
import { BASELINE_TABLES, BASELINE_THROUGH } from './baseline';
import { DdlBudget, isRateLimited } from './ddl-budget';
import { backfillSummaryFolded } from './docs';
import { claimMigrations, pollWhileHeld, releaseMigrations, type ClaimOutcome } from './migration-claim';
import { backfillPairDocColumns } from './pairs';

export const MIGRATIONS: ReadonlyArray<{ name: string; ddl: string }> = [
  {
    // One row per indexed issue. `terms` is the engine's encodeTerms() output; `summary` is
    // kept (truncated) for lists and search; the full description is never stored.
    name: 'v001-docs',
    ddl: `CREATE TABLE IF NOT EXISTS docs (
      id VARCHAR(32) NOT NULL,
      issue_key VARCHAR(64) NOT NULL,
      project_key VARCHAR(32) NOT NULL,
      issue_type VARCHAR(64) NOT NULL,
      status_name VARCHAR(64) NOT NULL,
      status_category VARCHAR(16) NOT NULL,
      created_ms BIGINT NOT NULL,
      updated_ms BIGINT NOT NULL,
      summary VARCHAR(255) NOT NULL,
      text_hash CHAR(16) NOT NULL,
      terms MEDIUMTEXT NOT NULL,
      seen_ms BIGINT NOT NULL,
      scored_ms BIGINT NULL,
      PRIMARY KEY (id),
      KEY docs_issue_key (issue_key),
      KEY docs_project_seen (project_key, seen_ms)
    )`,
  },
  {
    // Candidate pairs: id = "<a>-<b>" with a < b (string order, the engine's). Decisions
    // (status, decided_*) are never touched by analysis upserts. `active = 0` hides a pair
    // that fell below the related threshold while remembering its decision.
    name: 'v001-pairs',
    ddl: `CREATE TABLE IF NOT EXISTS pairs (
      id VARCHAR(72) NOT NULL,
      issue_a VARCHAR(32) NOT NULL,
      issue_b VARCHAR(32) NOT NULL,
      project_a VARCHAR(32) NOT NULL,
      project_b VARCHAR(32) NOT NULL,
      score DOUBLE NOT NULL,
      tier VARCHAR(10) NOT NULL,
      reasons VARCHAR(1000) NOT NULL,
      active TINYINT NOT NULL,
      status VARCHAR(10) NOT NULL,
      decided_by VARCHAR(128) NULL,
      decided_ms BIGINT NULL,
      first_run VARCHAR(40) NOT NULL,
      last_run VARCHAR(40) NOT NULL,
      first_seen_ms BIGINT NOT NULL,
      last_seen_ms BIGINT NOT NULL,
      cluster_id VARCHAR(32) NULL,
      PRIMARY KEY (id),
      KEY pairs_issue_a (issue_a),
      KEY pairs_issue_b (issue_b),
      KEY pairs_project_a (project_a, active, status, score),
      KEY pairs_project_b (project_b, active, status, score)
    )`,
  },
  {
    name: 'v001-runs',
    ddl: `CREATE TABLE IF NOT EXISTS runs (
      id VARCHAR(40) NOT NULL,
      scope_key VARCHAR(64) NOT NULL,
      mode VARCHAR(16) NOT NULL,
      trig VARCHAR(16) NOT NULL,
      status VARCHAR(16) NOT NULL,
      started_by VARCHAR(128) NULL,
      started_ms BIGINT NOT NULL,
      finished_ms BIGINT NULL,
      heartbeat_ms BIGINT NOT NULL,
      expected INT NULL,
      chains INT NOT NULL,
      since_ms BIGINT NULL,
      error VARCHAR(1000) NULL,
      settings TEXT NOT NULL,
      PRIMARY KEY (id),
      KEY runs_scope_started (scope_key, started_ms),
      KEY runs_status (status),
      KEY runs_started (started_ms)
    )`,
  },
  {
    // Progress of one run, one row per unit of work. The primary key makes every
    // (re)delivery of the same event land on the same row; counters are sums over rows.
    name: 'v001-run-batches',
    ddl: `CREATE TABLE IF NOT EXISTS run_batches (
      run_id VARCHAR(40) NOT NULL,
      batch_no VARCHAR(32) NOT NULL,
      state VARCHAR(10) NOT NULL,
      owner VARCHAR(80) NOT NULL,
      claimed_ms BIGINT NOT NULL,
      done_ms BIGINT NULL,
      fetched INT NOT NULL,
      indexed INT NOT NULL,
      scored INT NOT NULL,
      pairs INT NOT NULL,
      PRIMARY KEY (run_id, batch_no)
    )`,
  },
  {
    // At most one live run per scope: claimed by INSERT IGNORE, taken over by a conditional
    // UPDATE once the holder finished (no transactions on Forge SQL).
    name: 'v001-scope-locks',
    ddl: `CREATE TABLE IF NOT EXISTS scope_locks (
      scope_key VARCHAR(64) NOT NULL,
      run_id VARCHAR(40) NOT NULL,
      claimed_ms BIGINT NOT NULL,
      PRIMARY KEY (scope_key)
    )`,
  },
  {
    name: 'v001-actions',
    ddl: `CREATE TABLE IF NOT EXISTS actions (
      id CHAR(36) NOT NULL,
      at_ms BIGINT NOT NULL,
      actor VARCHAR(128) NULL,
      action VARCHAR(32) NOT NULL,
      pair_id VARCHAR(72) NULL,
      issue_keys VARCHAR(400) NOT NULL,
      project_key VARCHAR(32) NULL,
      project_key_2 VARCHAR(32) NULL,
      detail VARCHAR(1000) NULL,
      PRIMARY KEY (id),
      KEY actions_project_at (project_key, at_ms),
      KEY actions_project2_at (project_key_2, at_ms),
      KEY actions_at (at_ms)
    )`,
  },
  {
    // Surface words of a document's heaviest description terms ("stem=word|…"), so reasons
    // can show "inventory" rather than "inventori" after the description text is gone.
    name: 'v002-docs-words',
    ddl: "ALTER TABLE docs ADD COLUMN IF NOT EXISTS words VARCHAR(600) NOT NULL DEFAULT ''",
  },
  {
    // What the review queue filters and sorts by, copied from the two docs onto the pair
    // (written by upsertPairs, kept in sync by upsertDocs; see PAIR_DOC_SYNC in pairs.ts):
    // created_ms = the newer issue's created (GREATEST of the two), updated_ms = the later
    // updated of the two, and each issue's type and status category. 0 / '' until filled.
    name: 'v003-pairs-doc-columns',
    ddl: `ALTER TABLE pairs
      ADD COLUMN IF NOT EXISTS created_ms BIGINT NOT NULL DEFAULT 0,
      ADD COLUMN IF NOT EXISTS updated_ms BIGINT NOT NULL DEFAULT 0,
      ADD COLUMN IF NOT EXISTS type_a VARCHAR(64) NOT NULL DEFAULT '',
      ADD COLUMN IF NOT EXISTS type_b VARCHAR(64) NOT NULL DEFAULT '',
      ADD COLUMN IF NOT EXISTS cat_a VARCHAR(16) NOT NULL DEFAULT '',
      ADD COLUMN IF NOT EXISTS cat_b VARCHAR(16) NOT NULL DEFAULT ''`,
  },
  {
    // Ordered index reads for the created/updated sorts, like (project_x, active, status, score).
    name: 'v003-pairs-sort-indexes',
    ddl: `ALTER TABLE pairs
      ADD INDEX IF NOT EXISTS pairs_project_a_created (project_a, active, status, created_ms),
      ADD INDEX IF NOT EXISTS pairs_project_b_created (project_b, active, status, created_ms),
      ADD INDEX IF NOT EXISTS pairs_project_a_updated (project_a, active, status, updated_ms),
      ADD INDEX IF NOT EXISTS pairs_project_b_updated (project_b, active, status, updated_ms)`,
  },
  {
    // Issues whose delete event was seen (src/store/deleted-issues.ts), so that work which
    // read one from Jira just before its deletion cannot store it again.
    name: 'v004-deleted-issues',
    ddl: `CREATE TABLE IF NOT EXISTS deleted_issues (
      id VARCHAR(32) NOT NULL,
      deleted_ms BIGINT NOT NULL,
      PRIMARY KEY (id),
      KEY deleted_issues_at (deleted_ms)
    )`,
  },
  {
    // The issues each document's issue is joined to by a Duplicate link in Jira, either
    // direction (comma-separated ids, as read by the run that stored it; src/analysis/jira-links.ts).
    // A pending pair whose issues Jira already links is confirmed by the analysis.
    name: 'v005-docs-dup-links',
    ddl: "ALTER TABLE docs ADD COLUMN IF NOT EXISTS dup_links VARCHAR(600) NOT NULL DEFAULT ''",
  },
  {
    // 1 when the confirmation came from a Duplicate link found in Jira, not from a person
    // (decided_by is then NULL); any decision made in the app resets it.
    name: 'v005-pairs-decided-in-jira',
    ddl: 'ALTER TABLE pairs ADD COLUMN IF NOT EXISTS decided_in_jira TINYINT NOT NULL DEFAULT 0',
  },
  {
    // Projects an action names beyond the two indexed columns (a cluster linked across three
    // projects; a confirmation joined through an issue of a third), as ",K3,K4,": the history
    // shows an entry only to someone who may browse every project it names.
    name: 'v006-actions-more-projects',
    ddl: 'ALTER TABLE actions ADD COLUMN IF NOT EXISTS more_projects VARCHAR(400) NULL',
  },
  {
    // The id of an issue's security level ('' for none): counts, charts and history shown to
    // someone outside a level leave its issues out. Indexed by level first, so "which issues
    // are secured" reads only those (nearly every backlog has none or few).
    name: 'v007-docs-security-level',
    ddl: `ALTER TABLE docs
      ADD COLUMN IF NOT EXISTS security_level VARCHAR(32) NOT NULL DEFAULT '',
      ADD INDEX IF NOT EXISTS docs_security (security_level, project_key)`,
  },
  {
    // Jira's resolution name ('' when unresolved): an issue already closed as "Duplicate" is
    // the duplicate when a pair is linked, whichever was filed first.
    name: 'v008-docs-resolution',
    ddl: "ALTER TABLE docs ADD COLUMN IF NOT EXISTS resolution VARCHAR(64) NOT NULL DEFAULT ''",
  },
  {
    // The decisions one bulk action made share an id: the history shows them as one entry.
    name: 'v009-actions-batch',
    ddl: 'ALTER TABLE actions ADD COLUMN IF NOT EXISTS batch_id VARCHAR(36) NULL',
  },
  {
    // Why a dismissed pair is not a duplicate, when the person said so ('different',
    // 'related', 'split'); NULL otherwise, and set back to NULL by any other decision.
    name: 'v010-pairs-dismiss-reason',
    ddl: 'ALTER TABLE pairs ADD COLUMN IF NOT EXISTS dismiss_reason VARCHAR(16) NULL',
  },
  {
    // Who gave that reason (accountId): anyone who may dismiss may give or change it, so it is
    // not always the person who dismissed the pair. NULL with no reason, and for reasons given
    // before this column (their giver is in the history).
    name: 'v011-pairs-dismiss-reason-by',
    ddl: 'ALTER TABLE pairs ADD COLUMN IF NOT EXISTS dismiss_reason_by VARCHAR(128) NULL',
  },
  {
    // Issues an event took out of the analysed set (src/store/left-scope.ts), so that work
    // which read one from Jira just before cannot store it again.
    name: 'v012-left-scope',
    ddl: `CREATE TABLE IF NOT EXISTS left_scope (
      id VARCHAR(32) NOT NULL,
      left_ms BIGINT NOT NULL,
      PRIMARY KEY (id),
      KEY left_scope_at (left_ms)
    )`,
  },
  {
    // When each document's `dup_links` was last known true: the time the read it came from
    // began, or the time the app recorded a Duplicate link it made or removed (or one an
    // issue-link event told of). A read begun before that brings older links: they are not
    // stored, and no change is followed from them (src/analysis/jira-links.ts). 0 until then.
    name: 'v013-docs-links-ms',
    ddl: 'ALTER TABLE docs ADD COLUMN IF NOT EXISTS links_ms BIGINT NOT NULL DEFAULT 0',
  },
  {
    // The summary folded for search (src/shared/search-fold.ts: accents, case and compatibility
    // forms), written with the summary by upsertDocs, so that "cafe" finds "Café": TiDB and
    // MariaDB compare utf8mb4_bin here and cannot fold accents themselves. NULL for rows stored
    // before (filled by backfillSummaryFolded after this migration, as far as its bound
    // allows, and by the next write of each issue) and for a folded form too long to fit;
    // search matches such a row's summary as written (wordMatch in src/store/review.ts).
    name: 'v014-docs-summary-folded',
    ddl: 'ALTER TABLE docs ADD COLUMN IF NOT EXISTS summary_folded VARCHAR(1020) NULL',
  },
  {
    // When a person reopened the pair in the app, while it is pending from that reopen; NULL
    // otherwise (never reopened, or decided since: by a person, or confirmed through a Jira
    // link). Such a pair is kept, hidden, when one of its issues leaves scope, as a decided
    // one is, so a Duplicate link does not confirm it again when the issue comes back
    // (src/store/pairs.ts, retirePairsOfIssues).
    name: 'v015-pairs-reopened-ms',
    ddl: 'ALTER TABLE pairs ADD COLUMN IF NOT EXISTS reopened_ms BIGINT NULL',
  },
  {
    // The compare-and-set that KVS lacks for a plain key, for the settings (src/store/settings.ts):
    // one row per KVS key (`settings:v1`). `version` counts the saves; a save takes the next
    // one with a conditional UPDATE before it writes KVS, so two saves at once cannot both
    // write over the same settings. `settings_hash` is the SHA-256 of the settings the save
    // holding `version` writes, `taken_ms` when it took it: settings in KVS with another
    // hash mean that write has not landed (yet, or ever, if its invocation was stopped).
    name: 'v016-settings-writes',
    ddl: `CREATE TABLE IF NOT EXISTS settings_writes (
      k VARCHAR(64) NOT NULL,
      version BIGINT NOT NULL,
      settings_hash CHAR(64) NOT NULL,
      taken_ms BIGINT NOT NULL,
      PRIMARY KEY (k)
    )`,
  },
  {
    // Which invocation is applying the migrations (src/store/migration-claim.ts): one row,
    // k = 'schema', while a pass runs; `owner` is a random id per pass, `claimed_ms` when it
    // claimed. Others wait for the row to go rather than send the same DDL, and a row older
    // than MIGRATION_CLAIM_STALE_MS is taken over. A request may create this table before the
    // migration is recorded (createMigrationClaims); the statement is the same.
    name: 'v017-migration-claims',
    ddl: `CREATE TABLE IF NOT EXISTS migration_claims (
      k VARCHAR(16) NOT NULL,
      owner CHAR(36) NOT NULL,
      claimed_ms BIGINT NOT NULL,
      PRIMARY KEY (k)
    )`,
  },
  {
    // When one of the pair's sort keys last changed (score or tier by an analysis, created_ms or
    // updated_ms copied from its docs), or an analysis stored it new or made it active again:
    // the time of the write, by the writer's clock. A CSV export reads the pairs moved since it
    // began once its keyset pages are done (src/resolvers/methods/export-csv.ts), so a pair
    // whose key moved past the cursor is not left out. 0 for rows not moved since this column.
    name: 'v018-pairs-moved-ms',
    ddl: `ALTER TABLE pairs
      ADD COLUMN IF NOT EXISTS moved_ms BIGINT NOT NULL DEFAULT 0`,
  },
  {
    // The review queue's second side (pairs whose second issue is in the page's project and
    // whose first is not) reads one index instead of three. The three (project_b, active,
    // status, key) indexes held an entry for every pair, nearly all of them within one project
    // and read by the first side's (project_a, active, status, key) indexes anyway: about
    // 10 MiB of the SQL footprint at 20,000 issues. This one leads with (project_b, project_a),
    // so the second side reads one range per other project, in score and id order (id named,
    // so the order is the queue's tie-break too), with tier, created_ms and updated_ms on the
    // index for the filters and the other two sorts (src/store/review.ts, projectSides).
    // An unreleased build of this migration made a narrower pairs_project_b_a, dropped here.
    name: 'v019-pairs-project-b-cross',
    ddl: `ALTER TABLE pairs
      ADD INDEX IF NOT EXISTS pairs_project_b_cross (project_b, project_a, active, status, score, id, tier, created_ms, updated_ms),
      DROP INDEX IF EXISTS pairs_project_b_a,
      DROP INDEX IF EXISTS pairs_project_b,
      DROP INDEX IF EXISTS pairs_project_b_created,
      DROP INDEX IF EXISTS pairs_project_b_updated`,
  },
  {
    // A failed run's error with Jira's own words (a rejected search quotes the admin's JQL
    // filter and may name projects or issues), for Jira admins on the admin page; `error`
    // keeps the sentence everyone who may watch the run reads (src/analysis/failure.ts).
    // NULL when there are none, and for runs that failed before this column (their error
    // quoted Jira: src/store/runs.ts, publicRunError, reads them as now).
    name: 'v020-runs-error-detail',
    ddl: 'ALTER TABLE runs ADD COLUMN IF NOT EXISTS error_detail VARCHAR(1000) NULL',
  },
  {
    // The account ids the weekly personal data report gathered (src/store/personal-data.ts): one
    // row per distinct id, with the latest time a row naming it was stored. Filled chunk by
    // chunk from pairs, runs and actions (walked by primary key, since their account columns
    // have no index), then reported from here in id order; emptied when the report ends, and
    // an id Atlassian reports closed is taken out when it is erased.
    name: 'v021-personal-data-accounts',
    ddl: `CREATE TABLE IF NOT EXISTS personal_data_accounts (
      account_id VARCHAR(128) NOT NULL,
      updated_ms BIGINT NOT NULL,
      PRIMARY KEY (account_id)
    )`,
  },
  {
    // The personal data report's one row (k = 'report'; src/store/personal-data.ts): which
    // invocation is making it, as migration_claims does for migrations (`owner` a random id
    // per call, '' once let go; `claimed_ms` when its holder last saved, 0 once let go), and
    // where the report stands (`state`, JSON: the phase, the place in the walk of the tables,
    // the last id reported, closed ids not yet erased). A second call (the platform may deliver
    // a scheduled trigger twice) finds the claim held and stops at once; a claim older than
    // REPORT_CLAIM_STALE_MS is taken over. The holder saves the state with a statement that
    // names it as owner, so a call whose claim was taken over writes nothing.
    name: 'v021-personal-data-report',
    ddl: `CREATE TABLE IF NOT EXISTS personal_data_report (
      k VARCHAR(16) NOT NULL,
      owner CHAR(36) NOT NULL,
      claimed_ms BIGINT NOT NULL,
      state MEDIUMTEXT NULL,
      PRIMARY KEY (k)
    )`,
  },
  {
    // What a run left out of its saved scope because Jira no longer showed it to the app when
    // the run was planned (a project deleted, archived or hidden from the app; an issue type
    // deleted or renamed): JSON {"projects":[…],"issueTypes":[…]}, for the note Jira admins
    // read on the admin page (src/analysis/scope-check.ts). NULL when it left out nothing.
    name: 'v022-runs-left-out',
    ddl: 'ALTER TABLE runs ADD COLUMN IF NOT EXISTS left_out TEXT NULL',
  },
  {
    // The keys a stored issue had before Jira gave it another (it moved project), one row per
    // issue and old key, with when the app first saw the change (src/store/former-keys.ts).
    // A history entry keeps the keys it was written with, so an entry naming a secured issue
    // by its old key is left out by that key too. Rows go with the issue when it is deleted in
    // Jira, and once no history entry is older than them (src/analysis/retention.ts).
    name: 'v023-former-keys',
    ddl: `CREATE TABLE IF NOT EXISTS former_keys (
      issue_id VARCHAR(32) NOT NULL,
      issue_key VARCHAR(64) NOT NULL,
      recorded_ms BIGINT NOT NULL,
      PRIMARY KEY (issue_id, issue_key),
      KEY former_keys_recorded (recorded_ms)
    )`,
  },
];

/** The migration after which pairs stored before it get their doc columns filled, recorded once they are (see applyMigrations). */
const BACKFILL_AFTER = 'v003-pairs-doc-columns';

const CLAIMS_MIGRATION = 'v017-migration-claims';

/** How long the fold of stored summaries may take after a pass, at most (and no later than the pass's deadline). */
const FOLD_MS = 10_000;

/** How long the lifecycle and the schedule wait for another invocation's pass before running their own anyway. */
const MIGRATE_WAIT_MS = 15_000;

/**
 * How long a pass may go on, waiting for room under the DDL limit included, when its caller
 * names no deadline: inside a product trigger's 25 s, with the claim's wait before it short.
 */
export const DEFAULT_PASS_MS = 20_000;

/** `@forge/sql`'s migrationRunner statements: existing installs have this table and these rows. */
const MIGRATIONS_TABLE_DDL =
  'CREATE TABLE IF NOT EXISTS __migrations (id BIGINT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(255) NOT NULL, migratedAt TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP);';
const LIST_MIGRATIONS = 'SELECT id, name, migratedAt FROM __migrations;';

/** What one pass did: the migrations it recorded, and those it left for the next pass (it ran out of time under the DDL limit). */
export interface MigrationPass {
  applied: string[];
  /** Not applied yet; empty when the schema is up to date. */
  pending: string[];
  /** The pass created the schema from the baseline (a fresh install). */
  baseline: boolean;
  /** DDL requests the pass sent (Forge counts its list of applied migrations as one). */
  ddlRequests: number;
}

export interface MigrateOptions {
  /** Also fill what older rows lack (the lifecycle and the daily schedule); default true. */
  backfill?: boolean;
  /** When the pass must end (epoch ms), waits for the DDL limit included; default DEFAULT_PASS_MS after the claim. */
  deadlineMs?: number;
}

/**
 * Applies every migration not yet recorded. Safe to call from any invocation at any time
 * (the lifecycle, the schedule); costs two DDL requests when there is nothing to do (Forge
 * allows 25 DDL a minute), so callers do not call it per request. Requests that meet a
 * missing table or column go through src/store/db.ts, which waits for a pass under way
 * instead of starting its own.
 *
 * The pass holds the migration claim (src/store/migration-claim.ts), so requests meanwhile
 * wait for it rather than send the same DDL. When another invocation holds the claim, this
 * waits for it up to MIGRATE_WAIT_MS, then migrates anyway (the statements are idempotent): a
 * claim left by a stopped invocation holds nothing up for long. A claim that cannot be read
 * or written (a site before v017; the database failing) is no reason not to migrate either.
 *
 * `backfill` (the lifecycle and the daily schedule): also fills what older rows lack, by what
 * the rows still lack rather than by which migrations this call applied, so a fill cut short
 * (by its bound, or by a pass that failed after applying its migration) goes on at the next
 * call.
 *
 * Returns the names applied; `migratePass` also says what is left.
 */
export async function migrate(opts: MigrateOptions = {}): Promise<string[]> {
  return (await migratePass(opts)).applied;
}

/** `migrate`, saying what the pass left for the next one (the lifecycle asks to be delivered again then). */
export async function migratePass(opts: MigrateOptions = {}): Promise<MigrationPass> {
  const owner = randomUUID();
  const claim = await claimWithin(owner, Math.min(Date.now() + MIGRATE_WAIT_MS, opts.deadlineMs ?? Infinity));
  let pass: MigrationPass;
  try {
    pass = await applyMigrations({ deadlineMs: opts.deadlineMs ?? Date.now() + DEFAULT_PASS_MS });
  } finally {
    if (claim === 'won') await releaseMigrations(owner);
  }
  // The fold ends by the pass's deadline too (the lifecycle's 25 s hold both); it goes on next time.
  const foldMs = opts.deadlineMs === undefined ? FOLD_MS : Math.min(FOLD_MS, opts.deadlineMs - Date.now());
  if (opts.backfill !== false && foldMs >= 500) await foldStoredSummaries(foldMs);
  return pass;
}

async function claimWithin(owner: string, untilMs: number): Promise<ClaimOutcome | 'failed'> {
  try {
    let claim = await claimMigrations(owner);
    if (claim === 'held') claim = await pollWhileHeld(untilMs, () => claimMigrations(owner));
    if (claim === 'held') console.warn('store: another invocation still holds the migration claim; migrating anyway');
    return claim;
  } catch (err) {
    console.warn(`store: the migration claim failed (${err instanceof Error ? err.name : 'unknown'}); migrating without it`);
    return 'failed';
  }
}

/** The pass ran out of time under the DDL limit before this request could be sent. */
class OutOfDdlTime extends Error {
  override readonly name = 'OutOfDdlTime';
}

/**
 * One DDL request within the budget. A rate-limit answer (other invocations' DDL counts too)
 * fills the budget and sends again once there is room; another failure is sent once more (a
 * concurrent migrator changing the same table: the statements are idempotent), then thrown.
 */
async function sendDdl<T>(budget: DdlBudget, statement: string): Promise<{ rows: T[] }> {
  for (let failures = 0; ; ) {
    if (!(await budget.take())) throw new OutOfDdlTime();
    try {
      const result = await sql.executeDDL<T>(statement);
      return { rows: result.rows as T[] };
    } catch (err) {
      if (isRateLimited(err)) {
        budget.spent();
        continue;
      }
      failures += 1;
      if (failures > 1) throw err;
      console.warn(`store: a migration statement failed (${err instanceof Error ? err.name : 'unknown'}); sending it once more`);
    }
  }
}

async function record(names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  await sql
    .prepare(`INSERT INTO __migrations (name) VALUES ${names.map(() => '(?)').join(', ')}`)
    .bindParams(...names)
    .execute();
}

/** The migrations the baseline stands for: every one up to BASELINE_THROUGH. */
export function baselineCovers(): string[] {
  const end = MIGRATIONS.findIndex((m) => m.name === BASELINE_THROUGH);
  if (end < 0) throw new Error(`the baseline names ${BASELINE_THROUGH}, which is not a migration`);
  return MIGRATIONS.slice(0, end + 1).map((m) => m.name);
}

/**
 * One migration pass, with no claim and no fold: the caller holds the claim or has a reason to
 * go without. Pairs stored before their doc columns existed are filled when this pass added them.
 *
 * The runner's own two requests (the `__migrations` table, the list of applied names) come
 * first. With nothing recorded (a fresh install), the schema is created from the baseline, one
 * statement per table, then every migration it covers is recorded in one INSERT; a baseline
 * cut short records nothing, and the next pass sends it again (its statements are no-ops for
 * the tables made). Otherwise, and for the migrations after the baseline, each pending one is
 * sent and recorded in turn (BACKFILL_AFTER at the end of the pass, after the fill of the
 * pairs stored before it, which needs the later columns too). Every DDL request goes through a DdlBudget: when the next would
 * pass 25 in a minute and the wait for room would end after `deadlineMs`, the pass stops there
 * and returns what it left (`pending`), rather than fail and run again.
 */
export async function applyMigrations(opts: { deadlineMs?: number } = {}): Promise<MigrationPass> {
  const budget = new DdlBudget({ deadlineMs: opts.deadlineMs ?? Date.now() + DEFAULT_PASS_MS });
  const applied: string[] = [];
  let pending: string[] = MIGRATIONS.map((m) => m.name);
  let baseline = false;
  try {
    await sendDdl(budget, MIGRATIONS_TABLE_DDL);
    const listed = await sendDdl<{ name?: unknown }>(budget, LIST_MIGRATIONS);
    const done = new Set(listed.rows.map((row) => String(row.name)));
    pending = pending.filter((name) => !done.has(name));
    if (done.size === 0) {
      for (const table of BASELINE_TABLES) await sendDdl(budget, table.ddl);
      const covers = baselineCovers();
      await record(covers);
      applied.push(...covers);
      pending = pending.filter((name) => !covers.includes(name));
      baseline = true;
    }
    let backfill = false;
    for (const m of MIGRATIONS) {
      if (!pending.includes(m.name)) continue;
      await sendDdl(budget, m.ddl);
      if (m.name === BACKFILL_AFTER) {
        // Recorded once its backfill has run (below), which needs the later migrations' columns
        // too: a pass that stops before then sends it again (a no-op) and owes the backfill still.
        backfill = true;
        continue;
      }
      await record([m.name]);
      applied.push(m.name);
      pending = pending.filter((name) => name !== m.name);
    }
    if (backfill) {
      // Backfill (DML, so not in the DDL list): pairs stored before the doc columns existed.
      // Idempotent (only rows still at the 0 default), so a concurrent migrator doing it too is
      // harmless. A baseline's pairs table is new: it never comes here.
      await backfillPairDocColumns();
      await record([BACKFILL_AFTER]);
      applied.push(BACKFILL_AFTER);
      pending = pending.filter((name) => name !== BACKFILL_AFTER);
    }
  } catch (err) {
    if (!(err instanceof OutOfDdlTime)) throw err;
    console.warn(
      `store: migration pass stopped at Forge SQL's DDL limit after ${budget.sent} requests; ${pending.length} migration(s) left for the next pass`,
    );
  }
  return { applied, pending, baseline, ddlRequests: budget.sent };
}

/**
 * Creates the claim table ahead of its migration (one DDL request), for a request that found
 * it missing: a site that has not applied v017 yet, or a fresh install. False when that failed
 * too.
 */
export async function createMigrationClaims(): Promise<boolean> {
  const claims = MIGRATIONS.find((m) => m.name === CLAIMS_MIGRATION);
  if (!claims) return false;
  try {
    await sql.executeDDL(claims.ddl);
    return true;
  } catch (err) {
    console.warn(`store: creating the migration claim table failed (${err instanceof Error ? err.name : 'unknown'})`);
    return false;
  }
}

/**
 * Folded summaries of the docs stored before the column (v014), as many as a bounded pass
 * reaches; the rest at the next call, or as their issues are read again (they are found as
 * written meanwhile). A failure costs only the fold: search works without it.
 */
async function foldStoredSummaries(budgetMs: number): Promise<void> {
  try {
    const fold = await backfillSummaryFolded({ budgetMs });
    if (fold.read > 0) console.info(`store: folded ${fold.read} stored summaries for search${fold.finished ? '' : '; the rest at the next migration pass or as their issues are read again'}`);
  } catch (err) {
    console.warn(`store: folding stored summaries for search failed (${err instanceof Error ? err.name : 'unknown'}); tried again at the next migration pass`);
  }
}
