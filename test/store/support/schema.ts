/**
 * A database's schema as information_schema tells it, and what differs between two: what the
 * schema drift test (schema-drift.test.ts) and the install and upgrade tests compare.
 */
import type { Pool } from 'mysql2/promise';
import { createDatabase, DEFAULT_SQL_URL, dropDatabase, generateDatabaseName, openPool } from '../../../sandbox/runtime/sql/sql-server';

export type Query = (statement: string, params?: unknown[]) => Promise<unknown[]>;

export interface ColumnShape {
  position: number;
  type: string;
  nullable: string;
  default: string | null;
  extra: string;
  collation: string | null;
}

export interface Schema {
  /** table → column → its shape */
  columns: Map<string, Map<string, ColumnShape>>;
  /** table → index (PRIMARY for the primary key) → "UNIQUE (a, b(10))" / "(a, b)" */
  indexes: Map<string, Map<string, string>>;
}

/** The schema of the database `query` runs in, less the tables named in `except`. */
export async function readSchema(query: Query, except: readonly string[] = []): Promise<Schema> {
  const columns = new Map<string, Map<string, ColumnShape>>();
  const indexes = new Map<string, Map<string, string>>();
  const tables = (await query(
    "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'",
  )) as Array<{ t: string }>;
  for (const { t } of tables) {
    if (except.includes(t)) continue;
    columns.set(t, new Map());
    indexes.set(t, new Map());
  }
  const cols = (await query(
    `SELECT table_name AS t, column_name AS c, ordinal_position AS pos, column_type AS type, is_nullable AS nullable,
            column_default AS def, extra, collation_name AS coll
       FROM information_schema.columns WHERE table_schema = DATABASE() ORDER BY table_name, ordinal_position`,
  )) as Array<{ t: string; c: string; pos: number; type: string; nullable: string; def: string | null; extra: string; coll: string | null }>;
  for (const col of cols) {
    columns.get(col.t)?.set(col.c, { position: Number(col.pos), type: col.type, nullable: col.nullable, default: col.def, extra: col.extra, collation: col.coll });
  }
  const stats = (await query(
    `SELECT table_name AS t, index_name AS i, non_unique AS nu, seq_in_index AS seq, column_name AS c, sub_part AS sub
       FROM information_schema.statistics WHERE table_schema = DATABASE() ORDER BY table_name, index_name, seq_in_index`,
  )) as Array<{ t: string; i: string; nu: number; seq: number; c: string; sub: number | null }>;
  const parts = new Map<string, { unique: boolean; cols: string[] }>();
  for (const s of stats) {
    if (!indexes.has(s.t)) continue;
    const key = `${s.t}\u0000${s.i}`;
    const entry = parts.get(key) ?? { unique: Number(s.nu) === 0, cols: [] };
    entry.cols.push(s.sub === null ? s.c : `${s.c}(${s.sub})`);
    parts.set(key, entry);
  }
  for (const [key, entry] of parts) {
    const [t = '', i = ''] = key.split('\u0000');
    indexes.get(t)?.set(i, `${entry.unique ? 'UNIQUE ' : ''}(${entry.cols.join(', ')})`);
  }
  return { columns, indexes };
}

function describeColumn(c: ColumnShape): string {
  const def = c.default === null ? 'no default' : `DEFAULT ${c.default}`;
  return `#${c.position} ${c.type} ${c.nullable === 'YES' ? 'NULL' : 'NOT NULL'} ${def}${c.extra ? ` ${c.extra}` : ''}${c.collation ? ` ${c.collation}` : ''}`;
}

/**
 * Every difference between two schemas, one line each, naming the table, the column or the
 * index and both sides (`left` and `right` say which side is which): empty when they match.
 */
export function schemaDiff(a: Schema, b: Schema, left: string, right: string): string[] {
  const out: string[] = [];
  const tables = [...new Set([...a.columns.keys(), ...b.columns.keys()])].sort();
  for (const t of tables) {
    const ca = a.columns.get(t);
    const cb = b.columns.get(t);
    if (!ca || !cb) {
      out.push(`table ${t}: only in ${ca ? left : right}`);
      continue;
    }
    for (const c of [...new Set([...ca.keys(), ...cb.keys()])]) {
      const x = ca.get(c);
      const y = cb.get(c);
      if (!x || !y) out.push(`column ${t}.${c}: only in ${x ? left : right} (${describeColumn((x ?? y) as ColumnShape)})`);
      else if (describeColumn(x) !== describeColumn(y)) out.push(`column ${t}.${c}: ${left} ${describeColumn(x)}, ${right} ${describeColumn(y)}`);
    }
    const ia = a.indexes.get(t) ?? new Map<string, string>();
    const ib = b.indexes.get(t) ?? new Map<string, string>();
    for (const i of [...new Set([...ia.keys(), ...ib.keys()])].sort()) {
      const x = ia.get(i);
      const y = ib.get(i);
      const what = i === 'PRIMARY' ? `primary key of ${t}` : `index ${t}.${i}`;
      if (x === undefined || y === undefined) out.push(`${what}: only in ${x !== undefined ? left : right} ${x ?? y}`);
      else if (x !== y) out.push(`${what}: ${left} ${x}, ${right} ${y}`);
    }
  }
  return out;
}

/** A database of its own for a test, with a pool on it; `drop` removes both. */
export async function scratchDatabase(): Promise<{ name: string; pool: Pool; query: Query; drop: () => Promise<void> }> {
  const url = process.env['FORGE_SQL_URL'] ?? DEFAULT_SQL_URL;
  const name = generateDatabaseName();
  await createDatabase(url, name);
  const pool = openPool(url, name, 2);
  const query: Query = async (statement, params = []) => {
    const [rows] = await pool.query(statement, params);
    return Array.isArray(rows) ? rows : [rows];
  };
  return {
    name,
    pool,
    query,
    drop: async () => {
      await pool.end();
      await dropDatabase(url, name);
    },
  };
}
