/**
 * PostgreSQL's own view of a MongoDB database that FerretDB v1 stores there: one schema per database (named
 * like it, with FerretDB's `_ferretdb_database_metadata` table) and one table per collection (named from the
 * collection and a hash, recorded in that metadata table). The datastore-index test and benchmark read the
 * tables' scan counters and indexes through it.
 */
import type { Connection } from 'mongoose';
import { Client } from 'pg';

/** Sequential and index scans of one table, as `pg_stat_user_tables` counts them. */
export interface TableScans {
  seq_scan: number;
  idx_scan: number;
}

/** The database's PostgreSQL side, open on its own connection. */
export interface FerretdbStorage {
  pg: Client;
  /** The PostgreSQL schema holding the database. */
  schema: string;
  /** The table of `collection`; throws when FerretDB has not created it. */
  tableOf(collection: string): Promise<string>;
  /** Scan counters of the schema's tables, by collection name. */
  scans(): Promise<Map<string, TableScans>>;
  close(): Promise<void>;
}

/** The server or its storage is not FerretDB on PostgreSQL: what the caller measures cannot be read there. */
export class NotFerretdbOnPostgresError extends Error {
  override readonly name = 'NotFerretdbOnPostgresError';
}

const METADATA_TABLE = '_ferretdb_database_metadata';

/**
 * Opens the PostgreSQL side of the database `connection` uses. `postgresUrl` is the PostgreSQL database
 * FerretDB stores in (`scripts/services.sh env` exports it as HOPPER_SVC_POSTGRES_URL when FerretDB runs on
 * PostgreSQL). Throws NotFerretdbOnPostgresError, saying why, when the server is MongoDB, when FerretDB runs on
 * SQLite (no URL), or when the URL is not where this FerretDB stores the database.
 */
export async function openFerretdbStorage(connection: Connection, postgresUrl: string | undefined = process.env.HOPPER_SVC_POSTGRES_URL): Promise<FerretdbStorage> {
  const db = connection.db;
  if (!db) throw new Error('the MongoDB connection is not open');
  const where = `${connection.host}:${connection.port}`;
  const info = (await db.admin().command({ buildInfo: 1 })) as { version?: string; ferretdbVersion?: string };
  if (typeof info.ferretdbVersion !== 'string') {
    throw new NotFerretdbOnPostgresError(
      `the MongoDB-wire server at ${where} is MongoDB ${info.version ?? '(unknown version)'}, not FerretDB: PostgreSQL's scan counters ` +
        'cannot be read there. Run against FerretDB on PostgreSQL (scripts/services.sh up), or check the same queries on MongoDB ' +
        'with explain("executionStats") (IXSCAN or IDHACK, never COLLSCAN)',
    );
  }
  if (!postgresUrl) {
    throw new NotFerretdbOnPostgresError(
      `FerretDB ${info.ferretdbVersion} at ${where}, but HOPPER_SVC_POSTGRES_URL is not set: FerretDB runs on SQLite (where every ` +
        'lookup scans) or was not started by scripts/services.sh. Start it on PostgreSQL (scripts/services.sh up; it runs a private ' +
        'PostgreSQL when none answers) and export its variables: eval "$(scripts/services.sh env)"',
    );
  }
  const pg = new Client({ connectionString: postgresUrl });
  await pg.connect();
  const schema = db.databaseName;
  const found = await pg.query(
    `SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2`,
    [schema, METADATA_TABLE],
  );
  if (found.rowCount === 0) {
    await pg.end();
    throw new NotFerretdbOnPostgresError(
      `FerretDB at ${where} does not store database ${schema} in the PostgreSQL database of HOPPER_SVC_POSTGRES_URL ` +
        `(no schema ${schema} with ${METADATA_TABLE} there): the variable belongs to another scripts/services.sh instance`,
    );
  }

  const tables = async (): Promise<Map<string, string>> => {
    const { rows } = await pg.query<{ collection: string; table: string }>(
      `SELECT _jsonb->>'_id' AS collection, _jsonb->>'table' AS table FROM ${quoteIdent(schema)}.${METADATA_TABLE}`,
    );
    return new Map(rows.map((row) => [row.collection, row.table]));
  };
  return {
    pg,
    schema,
    async tableOf(collection) {
      const table = (await tables()).get(collection);
      if (!table) throw new Error(`FerretDB has no table for collection ${schema}.${collection}`);
      return table;
    },
    async scans() {
      const byTable = new Map([...(await tables())].map(([collection, table]) => [table, collection]));
      // A fresh snapshot: within a transaction PostgreSQL would answer the cached one.
      await pg.query('SELECT pg_stat_clear_snapshot()');
      const { rows } = await pg.query<{ relname: string; seq_scan: string; idx_scan: string | null }>(
        'SELECT relname, seq_scan, idx_scan FROM pg_stat_user_tables WHERE schemaname = $1',
        [schema],
      );
      const scans = new Map<string, TableScans>();
      for (const row of rows) {
        const collection = byTable.get(row.relname);
        if (collection) scans.set(collection, { seq_scan: Number(row.seq_scan), idx_scan: Number(row.idx_scan ?? 0) });
      }
      return scans;
    },
    close: () => pg.end(),
  };
}

/** A PostgreSQL identifier, quoted. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
