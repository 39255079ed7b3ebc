/**
 * A small SQL lexer: enough to count statements and to see keywords outside string
 * literals, quoted identifiers and comments. Forge SQL runs one statement per call;
 * MariaDB with a permissive client would run several, so the count is checked here.
 */

export interface ScannedSql {
  /** Non-empty statements separated by `;` (a trailing `;` does not start a new one). */
  statements: number;
  /** The SQL with comments removed and literal/identifier contents blanked, upper-cased. */
  code: string;
}

export function scanSql(sql: string): ScannedSql {
  let code = '';
  let statements = 0;
  let currentHasCode = false;
  let i = 0;
  const n = sql.length;
  const markCode = (text: string): void => {
    code += text;
    if (text.trim() !== '') currentHasCode = true;
  };
  while (i < n) {
    const ch = sql.charAt(i);
    const next = sql.charAt(i + 1);
    if (ch === "'" || ch === '"' || ch === '`') {
      i = skipQuoted(sql, i, ch);
      markCode(ch === '`' ? ' `X` ' : " 'S' ");
      continue;
    }
    if (ch === '#' || (ch === '-' && next === '-' && /[\s]/.test(sql.charAt(i + 2) || ' '))) {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? n : end + 1;
      code += ' ';
      continue;
    }
    if (ch === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
      code += ' ';
      continue;
    }
    if (ch === ';') {
      if (currentHasCode) statements += 1;
      currentHasCode = false;
      code += ';';
      i += 1;
      continue;
    }
    markCode(ch);
    i += 1;
  }
  if (currentHasCode) statements += 1;
  return { statements, code: code.toUpperCase() };
}

/** Index just past the closing quote; backslash escapes and doubled quotes are honoured. */
function skipQuoted(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    const ch = sql.charAt(i);
    if (ch === '\\' && quote !== '`') {
      i += 2;
      continue;
    }
    if (ch === quote) {
      if (sql.charAt(i + 1) === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i += 1;
  }
  return sql.length;
}

export type StatementKind = 'read' | 'dml' | 'ddl' | 'other';

const DDL = new Set(['CREATE', 'ALTER', 'DROP', 'TRUNCATE', 'RENAME']);
const READ = new Set(['SELECT', 'SHOW', 'DESCRIBE', 'DESC', 'EXPLAIN', 'WITH', 'VALUES', 'TABLE']);
const DML = new Set(['INSERT', 'UPDATE', 'DELETE', 'REPLACE']);

export function leadingKeyword(code: string): string {
  const match = /^[\s(;]*([A-Z_]+)/.exec(code);
  return match?.[1] ?? '';
}

export function statementKind(code: string): StatementKind {
  const word = leadingKeyword(code);
  if (DDL.has(word)) return 'ddl';
  if (READ.has(word)) return 'read';
  if (DML.has(word)) return 'dml';
  return 'other';
}

/**
 * Statements Forge SQL does not offer (no transactions, no SQL-level prepared
 * statements, no LOCK TABLES, no switching database, most SET) but MariaDB would
 * run, leaving a pooled connection in a state no Forge call could produce.
 */
export function unsupportedReason(code: string): string | undefined {
  const word = leadingKeyword(code);
  if (['BEGIN', 'START', 'COMMIT', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'XA'].includes(word)) {
    return 'Transactions are not supported by Forge SQL: each call is committed on its own.';
  }
  if (['PREPARE', 'EXECUTE', 'DEALLOCATE'].includes(word)) {
    return 'SQL-level prepared statements are not supported by Forge SQL: bind parameters instead.';
  }
  if (['LOCK', 'UNLOCK'].includes(word)) return 'LOCK TABLES is not supported by Forge SQL.';
  if (['USE', 'SET', 'CALL', 'HANDLER', 'LOAD', 'GRANT', 'REVOKE', 'FLUSH', 'KILL'].includes(word)) {
    return `${word} statements are not supported by Forge SQL.`;
  }
  if (/\bFOREIGN\s+KEY\b|\bREFERENCES\b/.test(code)) {
    return 'Foreign keys are not supported by Forge SQL.';
  }
  // MariaDB-only syntax that TiDB (behind Forge SQL) does not accept.
  if (/\bRETURNING\b/.test(code)) return 'RETURNING is MariaDB syntax; Forge SQL (TiDB) does not support it.';
  if (/\bSEQUENCE\b|\bNEXTVAL\s*\(|\bNEXT\s+VALUE\s+FOR\b/.test(code)) return 'Sequences are not supported by Forge SQL.';
  return undefined;
}
