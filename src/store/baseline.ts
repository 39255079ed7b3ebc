/**
 * The schema of a fresh install, as it stands after the migration named BASELINE_THROUGH:
 * one `CREATE TABLE IF NOT EXISTS` per table with its indexes inline. A fresh install sends
 * these twelve statements instead of the migrations one by one (29 through v021, which with the
 * runner's own two requests would pass Forge SQL's 25 DDL requests a minute), so 14 DDL
 * requests and one for each migration after BASELINE_THROUGH (16 with v022 and v023), and records every migration up to BASELINE_THROUGH as applied; the
 * migrations after it run on top as usual.
 *
 * Written by hand, checked by test/store/schema-drift.test.ts: a database built through every
 * migration one by one and one built from these statements must have the same columns (type,
 * nullability, default, order), indexes (columns in order) and primary keys. A migration
 * appended later is not folded in here: the baseline stays at BASELINE_THROUGH until someone
 * moves it on, with this list and the test together.
 *
 * The column order is the order the migrations leave (a column added by ALTER comes last).
 */
export const BASELINE_THROUGH = 'v021-personal-data-report';

export const BASELINE_TABLES: ReadonlyArray<{ table: string; ddl: string }> = [
  {
    table: 'docs',
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
      words VARCHAR(600) NOT NULL DEFAULT '',
      dup_links VARCHAR(600) NOT NULL DEFAULT '',
      security_level VARCHAR(32) NOT NULL DEFAULT '',
      resolution VARCHAR(64) NOT NULL DEFAULT '',
      links_ms BIGINT NOT NULL DEFAULT 0,
      summary_folded VARCHAR(1020) NULL,
      PRIMARY KEY (id),
      KEY docs_issue_key (issue_key),
      KEY docs_project_seen (project_key, seen_ms),
      KEY docs_security (security_level, project_key)
    )`,
  },
  {
    table: 'pairs',
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
      created_ms BIGINT NOT NULL DEFAULT 0,
      updated_ms BIGINT NOT NULL DEFAULT 0,
      type_a VARCHAR(64) NOT NULL DEFAULT '',
      type_b VARCHAR(64) NOT NULL DEFAULT '',
      cat_a VARCHAR(16) NOT NULL DEFAULT '',
      cat_b VARCHAR(16) NOT NULL DEFAULT '',
      decided_in_jira TINYINT NOT NULL DEFAULT 0,
      dismiss_reason VARCHAR(16) NULL,
      dismiss_reason_by VARCHAR(128) NULL,
      reopened_ms BIGINT NULL,
      moved_ms BIGINT NOT NULL DEFAULT 0,
      PRIMARY KEY (id),
      KEY pairs_issue_a (issue_a),
      KEY pairs_issue_b (issue_b),
      KEY pairs_project_a (project_a, active, status, score),
      KEY pairs_project_a_created (project_a, active, status, created_ms),
      KEY pairs_project_a_updated (project_a, active, status, updated_ms),
      KEY pairs_project_b_cross (project_b, project_a, active, status, score, id, tier, created_ms, updated_ms)
    )`,
  },
  {
    table: 'runs',
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
      error_detail VARCHAR(1000) NULL,
      PRIMARY KEY (id),
      KEY runs_scope_started (scope_key, started_ms),
      KEY runs_status (status),
      KEY runs_started (started_ms)
    )`,
  },
  {
    table: 'run_batches',
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
    table: 'scope_locks',
    ddl: `CREATE TABLE IF NOT EXISTS scope_locks (
      scope_key VARCHAR(64) NOT NULL,
      run_id VARCHAR(40) NOT NULL,
      claimed_ms BIGINT NOT NULL,
      PRIMARY KEY (scope_key)
    )`,
  },
  {
    table: 'actions',
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
      more_projects VARCHAR(400) NULL,
      batch_id VARCHAR(36) NULL,
      PRIMARY KEY (id),
      KEY actions_project_at (project_key, at_ms),
      KEY actions_project2_at (project_key_2, at_ms),
      KEY actions_at (at_ms)
    )`,
  },
  {
    table: 'deleted_issues',
    ddl: `CREATE TABLE IF NOT EXISTS deleted_issues (
      id VARCHAR(32) NOT NULL,
      deleted_ms BIGINT NOT NULL,
      PRIMARY KEY (id),
      KEY deleted_issues_at (deleted_ms)
    )`,
  },
  {
    table: 'left_scope',
    ddl: `CREATE TABLE IF NOT EXISTS left_scope (
      id VARCHAR(32) NOT NULL,
      left_ms BIGINT NOT NULL,
      PRIMARY KEY (id),
      KEY left_scope_at (left_ms)
    )`,
  },
  {
    table: 'settings_writes',
    ddl: `CREATE TABLE IF NOT EXISTS settings_writes (
      k VARCHAR(64) NOT NULL,
      version BIGINT NOT NULL,
      settings_hash CHAR(64) NOT NULL,
      taken_ms BIGINT NOT NULL,
      PRIMARY KEY (k)
    )`,
  },
  {
    table: 'migration_claims',
    ddl: `CREATE TABLE IF NOT EXISTS migration_claims (
      k VARCHAR(16) NOT NULL,
      owner CHAR(36) NOT NULL,
      claimed_ms BIGINT NOT NULL,
      PRIMARY KEY (k)
    )`,
  },
  {
    table: 'personal_data_accounts',
    ddl: `CREATE TABLE IF NOT EXISTS personal_data_accounts (
      account_id VARCHAR(128) NOT NULL,
      updated_ms BIGINT NOT NULL,
      PRIMARY KEY (account_id)
    )`,
  },
  {
    table: 'personal_data_report',
    ddl: `CREATE TABLE IF NOT EXISTS personal_data_report (
      k VARCHAR(16) NOT NULL,
      owner CHAR(36) NOT NULL,
      claimed_ms BIGINT NOT NULL,
      state MEDIUMTEXT NULL,
      PRIMARY KEY (k)
    )`,
  },
];
