/**
 * A fingerprint of everything the app stores: every table of its Forge SQL database
 * (row count and MariaDB's CHECKSUM TABLE) and every KVS entry. Equal fingerprints before
 * and after a call prove the call wrote nothing.
 */
import type { LocalForge } from '../../../sandbox/runtime';

export interface StoreSnapshot {
  tables: Record<string, { rows: number; checksum: string }>;
  kvs: string;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

export async function snapshotStore(forge: LocalForge): Promise<StoreSnapshot> {
  const tables: StoreSnapshot['tables'] = {};
  const names = (await forge.sql.query('SHOW TABLES')) as Array<Record<string, unknown>>;
  for (const row of names) {
    const name = String(Object.values(row)[0]);
    if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`unexpected table name ${name}`);
    const [count] = (await forge.sql.query(`SELECT COUNT(*) AS n FROM \`${name}\``)) as Array<{ n: number | string }>;
    const [sum] = (await forge.sql.query(`CHECKSUM TABLE \`${name}\``)) as Array<{ Checksum: number | string | null }>;
    tables[name] = { rows: Number(count?.n ?? -1), checksum: String(sum?.Checksum ?? 'null') };
  }
  const kvs = await forge.kvs.dump();
  return { tables, kvs: stableJson(Object.fromEntries([...kvs.entries()].sort(([a], [b]) => (a < b ? -1 : 1)))) };
}
