/**
 * Answers @forge/sql's requests at the seam: POST /api/v1/execute and
 * /api/v1/execute/ddl with `{query, params, method}`, replying `{rows}` like Forge SQL
 * and rejecting, with Forge-shaped errors, what Forge SQL would reject even though
 * MariaDB would accept it (several statements, oversized requests and responses,
 * transactions, foreign keys, DDL outside executeDDL).
 */
import type { Pool, ResultSetHeader } from 'mysql2/promise';
import { z } from 'zod';
import { jsonReply, readBodyText, wireErrorReply } from '../http-reply';
import { WireError } from '../wire-error';
import { RateWindow } from './rate-window';
import type { SqlFaults } from './sql-faults';
import { scanSql, statementKind, unsupportedReason, type StatementKind } from './statement-scan';

export const SQL_LIMITS = {
  requestBytes: 1024 * 1024,
  responseBytes: 4 * 1024 * 1024,
  /** Forge SQL's per-statement timeouts, in seconds. */
  timeoutSeconds: { read: 5, dml: 10, ddl: 20, other: 10 } satisfies Record<StatementKind, number>,
  dmlPerSecond: 150,
  ddlPerMinute: 25,
};

const requestSchema = z.object({
  query: z.string(),
  params: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  method: z.string().optional(),
});

export interface SqlCallStats {
  calls: number;
  rejected: number;
  failed: number;
  byKind: Record<StatementKind, number>;
  totalMs: number;
  /** Most non-DDL requests seen within one second (Forge allows 150). */
  peakDmlPerSecond: number;
  /** Most DDL requests seen within one minute (Forge allows 25): every request to the DDL endpoint, and DDL sent elsewhere. */
  peakDdlPerMinute: number;
}

export interface SqlEndpointOptions {
  /** Reject DDL sent through sql.prepare()/executeRaw instead of executeDDL. */
  strictDdlEndpoint: boolean;
  /** Bound statement time with MariaDB's max_statement_time (server-side, clean). */
  boundStatementTime: boolean;
  /** Answer 429 past 150 DML requests/s or 25 DDL requests/min (the peaks are measured either way). */
  enforceRateLimits: boolean;
}

export class SqlEndpoint {
  readonly stats: SqlCallStats = {
    calls: 0,
    rejected: 0,
    failed: 0,
    byKind: { read: 0, dml: 0, ddl: 0, other: 0 },
    totalMs: 0,
    peakDmlPerSecond: 0,
    peakDdlPerMinute: 0,
  };
  private readonly dmlRate = new RateWindow(SQL_LIMITS.dmlPerSecond, 1000);
  private readonly ddlRate = new RateWindow(SQL_LIMITS.ddlPerMinute, 60_000);

  private readonly observers = new Set<(query: string, params: readonly unknown[]) => void>();

  /** Calls `fn` with every well-formed statement the app sends, before it runs; returns an unsubscribe. */
  observe(fn: (query: string, params: readonly unknown[]) => void): () => void {
    this.observers.add(fn);
    return () => this.observers.delete(fn);
  }

  constructor(
    private readonly pool: Pool,
    readonly faults: SqlFaults,
    private readonly options: SqlEndpointOptions,
  ) {}

  async handle(path: string, init: RequestInit | undefined): Promise<Response> {
    this.stats.calls += 1;
    try {
      const rows = await this.execute(path, await readBodyText(init));
      const text = JSON.stringify({ rows });
      if (Buffer.byteLength(text) > SQL_LIMITS.responseBytes) {
        throw new WireError(
          400,
          'RESPONSE_TOO_LARGE',
          `The query result is larger than Forge SQL's 4 MiB response limit (${Buffer.byteLength(text)} bytes). Page the query.`,
        );
      }
      return jsonReply(200, { rows });
    } catch (error) {
      if (error instanceof WireError) {
        this.stats.rejected += 1;
        return wireErrorReply(error);
      }
      throw error;
    }
  }

  private async execute(path: string, bodyText: string): Promise<unknown> {
    const isDdlEndpoint = path.replace(/\/+$/, '') === '/api/v1/execute/ddl';
    if (!isDdlEndpoint && path.replace(/\/+$/, '') !== '/api/v1/execute') {
      throw new WireError(404, 'NOT_FOUND', `Unknown Forge SQL endpoint ${path}.`);
    }
    if (Buffer.byteLength(bodyText) > SQL_LIMITS.requestBytes) {
      throw new WireError(
        413,
        'REQUEST_TOO_LARGE',
        `The request is larger than Forge SQL's 1 MiB request limit (${Buffer.byteLength(bodyText)} bytes). Split the write into smaller batches.`,
      );
    }
    const parsed = requestSchema.safeParse(safeJson(bodyText));
    if (!parsed.success) {
      throw new WireError(400, 'INVALID_SQL_QUERY', 'The request body must be {query: string, params: scalar[]}.');
    }
    const { query, params = [] } = parsed.data;
    const scanned = scanSql(query);
    if (scanned.statements === 0) {
      throw new WireError(400, 'SQL_EXECUTION_ERROR', 'Query was empty', { debug: { errno: 1065 } });
    }
    if (scanned.statements > 1) {
      // TiDB's own wording when a client sends several statements in one call.
      throw new WireError(
        400,
        'SQL_EXECUTION_ERROR',
        "client has multi-statement capability disabled. Run SET multi_statement='ON' after you understand the security risk",
        { debug: { errno: 8130, statements: scanned.statements } },
      );
    }
    const unsupported = unsupportedReason(scanned.code);
    if (unsupported) throw new WireError(400, 'INVALID_SQL_QUERY', unsupported);
    const kind = statementKind(scanned.code);
    if (kind === 'ddl' && !isDdlEndpoint && this.options.strictDdlEndpoint) {
      throw new WireError(400, 'INVALID_SQL_QUERY', 'DDL statements must be sent with sql.executeDDL() (or the migrationRunner).');
    }
    // Forge counts DDL requests, so whatever goes to the DDL endpoint (the migration runner's
    // list of applied migrations is a SELECT sent there) counts against the 25 a minute.
    this.admitRate(isDdlEndpoint || kind === 'ddl');
    this.stats.byKind[kind] += 1;
    for (const fn of this.observers) fn(query, params);

    const delayed = this.faults.delay(query);
    if (delayed) await delayed;
    const injected = this.faults.takeFailure(query);
    if (injected) throw injected;

    const started = Date.now();
    try {
      const [result] = await this.pool.query(this.bounded(query, kind), params);
      return shapeResult(result);
    } catch (error) {
      this.stats.failed += 1;
      throw toWireError(error);
    } finally {
      this.stats.totalMs += Date.now() - started;
    }
  }

  private admitRate(ddl: boolean): void {
    const window = ddl ? this.ddlRate : this.dmlRate;
    const admitted = window.admit();
    this.stats.peakDmlPerSecond = this.dmlRate.peak;
    this.stats.peakDdlPerMinute = this.ddlRate.peak;
    if (!admitted && this.options.enforceRateLimits) {
      const what = ddl ? `${SQL_LIMITS.ddlPerMinute} DDL requests a minute` : `${SQL_LIMITS.dmlPerSecond} requests a second`;
      throw new WireError(429, 'RATE_LIMIT_EXCEEDED', `Forge SQL allows ${what}; back off and retry.`);
    }
  }

  /** Prefixes MariaDB's per-statement time bound for reads and writes. */
  private bounded(query: string, kind: StatementKind): string {
    if (!this.options.boundStatementTime || (kind !== 'read' && kind !== 'dml')) return query;
    return `SET STATEMENT max_statement_time=${SQL_LIMITS.timeoutSeconds[kind]} FOR ${query}`;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Forge SQL's answer: row objects for reads, the write summary for DML and DDL. */
function shapeResult(result: unknown): unknown {
  if (Array.isArray(result)) return result.map(shapeRow);
  const header = result as ResultSetHeader;
  return {
    affectedRows: header.affectedRows,
    fieldCount: header.fieldCount,
    info: header.info,
    insertId: header.insertId,
    serverStatus: header.serverStatus,
    warningStatus: header.warningStatus,
  };
}

/** Binary columns travel as base64 text, since JSON has no bytes. */
function shapeRow(row: unknown): unknown {
  if (row === null || typeof row !== 'object') return row;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row as Record<string, unknown>)) {
    out[key] = Buffer.isBuffer(value) ? value.toString('base64') : value;
  }
  return out;
}

interface MysqlError {
  errno?: number;
  code?: string;
  sqlState?: string;
  sqlMessage?: string;
  message?: string;
}

function toWireError(error: unknown): WireError {
  const e = (error ?? {}) as MysqlError;
  if (e.errno === 1969 || e.code === 'PROTOCOL_SEQUENCE_TIMEOUT') {
    return new WireError(504, 'QUERY_TIMED_OUT', 'The query took longer than Forge SQL allows and was cancelled.', {
      debug: { errno: e.errno, code: e.code },
    });
  }
  return new WireError(400, 'SQL_EXECUTION_ERROR', e.sqlMessage ?? e.message ?? 'SQL execution failed', {
    debug: { errno: e.errno, code: e.code, sqlState: e.sqlState },
  });
}
