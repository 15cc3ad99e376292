/** findOne({_id}) and updateOne({_id}) latency through mongoose and FerretDB on 50,000 submissions, in a collection with the GIN indexes of `services.sh tune` versus one without; target 10x. */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Connection, Model } from 'mongoose';
import { ACCESS_EMPTY, AccessControlParts } from '@hopper/classification';
import { connectMongo, SUBMISSION_COLLECTION, SubmissionRecord, submissionRecordSchema, SubmissionsRepository } from '@hopper/datastore';
import { BenchOptions, Contender, PreparedRound } from './bench-types';
import { BenchSetupError, compare, median } from './harness';
import { insertHistory } from './support/datastore-fixtures';
import { FerretdbStorage, NotFerretdbOnPostgresError, openFerretdbStorage, quoteIdent } from './support/ferretdb-storage';
import { ingesterServiceEnv } from './support/ingester-app';

/** Lookups per round: without the GIN indexes each one scans the whole table (hundreds of ms at 50,000). */
const DEFAULT_N = 10;
const DOCUMENTS = 50_000;
/** The second collection: the same documents, no GIN index. */
const BARE_COLLECTION = 'submissions_without_gin';
/** An index lookup should beat a scan of 50,000 documents by far more; the issue measured 15-40x at 5,000. */
const TARGET = 10;

/** One operation's median latency without and with the GIN indexes, and their ratio (without / with). */
export interface LatencyFigure {
  without_ms: number;
  with_ms: number;
  /** How many times faster with the indexes: above 1 means they help. */
  ratio: number;
  meets_target: boolean;
  /** Every measured round, in ms per operation. */
  rounds: { without: number[]; with: number[] };
}

export interface GinBenchResult {
  bench: 'datastore-gin';
  n: number;
  documents: number;
  target: number;
  find: LatencyFigure;
  update: LatencyFigure;
}

/** The documents of a clearance with no restriction: the bench needs no classification engine. */
const unrestricted = (): AccessControlParts => ({ __access_lvl__: 100, __access_req__: [], __access_grp1__: [ACCESS_EMPTY], __access_grp2__: [ACCESS_EMPTY] });

/** The GIN indexes of a table (`services.sh tune` and its event trigger made them). */
async function ginIndexes(storage: FerretdbStorage, table: string): Promise<string[]> {
  const { rows } = await storage.pg.query<{ indexname: string }>(
    `SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 AND indexdef LIKE '% USING gin %'`,
    [storage.schema, table],
  );
  return rows.map((row) => row.indexname);
}

type Operation = (model: Model<SubmissionRecord>, id: string, k: number) => Promise<unknown>;

/** One side: the same documents in a collection with its GIN indexes or without them. */
interface Side {
  label: string;
  model: Model<SubmissionRecord>;
  ids: string[];
}

/**
 * A contender doing `operation` on `side`, one at a time (the latency of a lookup, not the server's
 * throughput); every round's milliseconds per operation go to `roundsMs` (the harness's ops/s are rounded to
 * integers, too coarse at a few lookups per second).
 */
function contender(name: string, side: Side, operation: Operation, roundsMs: number[]): Contender {
  return {
    name,
    async prepare(n: number): Promise<PreparedRound> {
      const picked = Array.from({ length: n }, () => side.ids[Math.floor(Math.random() * side.ids.length)]!);
      return {
        async execute() {
          const start = performance.now();
          for (const [k, id] of picked.entries()) await operation(side.model, id, k);
          roundsMs.push((performance.now() - start) / n);
        },
        cleanup: async () => undefined,
      };
    },
  };
}

/** Compares `operation` on the collection without the GIN indexes and on the one with them, interleaved. */
async function latency(label: string, n: number, operation: Operation, sides: { without: Side; with: Side }, log: (line: string) => void): Promise<LatencyFigure> {
  const without: number[] = [];
  const withGin: number[] = [];
  // Fewer rounds than the other benchmarks: each round without the indexes scans the table n times.
  const rounds = 3;
  const warmups = 1;
  await compare(
    {
      bench: `datastore-gin ${label}`,
      n,
      target: TARGET,
      baseline: contender(`${label} without GIN`, sides.without, operation, without),
      candidate: contender(`${label} with GIN`, sides.with, operation, withGin),
    },
    { log, rounds, warmups },
  );
  const round2 = (value: number) => Math.round(value * 100) / 100;
  const measuredWithout = without.slice(warmups);
  const measuredWith = withGin.slice(warmups);
  const ratio = Math.round((median(measuredWithout) / median(measuredWith)) * 10) / 10;
  const figure: LatencyFigure = {
    without_ms: round2(median(measuredWithout)),
    with_ms: round2(median(measuredWith)),
    ratio,
    meets_target: ratio >= TARGET,
    rounds: { without: measuredWithout.map(round2), with: measuredWith.map(round2) },
  };
  log(`  ${label}: ${figure.without_ms} ms without GIN, ${figure.with_ms} ms with: ${ratio}x faster (target >= ${TARGET}x: ${figure.meets_target ? 'met' : 'NOT met'})`);
  return figure;
}

/**
 * The same 50,000 submissions in two collections, one as `services.sh tune` leaves it and one whose GIN indexes
 * were dropped before the first query. Two tables rather than dropping and rebuilding the indexes of one
 * between rounds: FerretDB's connections keep prepared statements, and one PostgreSQL has switched to a
 * generic plan (a sequential scan) stays on it when an index appears.
 */
export async function run(options: BenchOptions): Promise<GinBenchResult> {
  const env = ingesterServiceEnv();
  const n = options.n ?? DEFAULT_N;
  const url = new URL(env.HOPPER_MONGO_URL!);
  url.pathname = `/hopper_bench_gin_${randomBytes(4).toString('hex')}`;
  const connection: Connection = await connectMongo(url.toString());
  let storage: FerretdbStorage | null = null;
  try {
    const indexed = new SubmissionsRepository(connection, unrestricted).model;
    const bare = connection.model<SubmissionRecord>(BARE_COLLECTION, submissionRecordSchema, BARE_COLLECTION);
    await Promise.all([indexed.createIndexes(), bare.createIndexes()]);
    try {
      storage = await openFerretdbStorage(connection);
    } catch (error) {
      throw error instanceof NotFerretdbOnPostgresError ? new BenchSetupError(`datastore-gin: ${error.message}`) : error;
    }
    const pg = storage.pg;
    const indexedTable = await storage.tableOf(SUBMISSION_COLLECTION);
    const bareTable = await storage.tableOf(BARE_COLLECTION);
    const gins = await ginIndexes(storage, indexedTable);
    if (!gins.length) throw new BenchSetupError('datastore-gin: FerretDB made no GIN index: run `scripts/services.sh tune` (or `up`) first');
    for (const name of await ginIndexes(storage, bareTable)) await pg.query(`DROP INDEX ${quoteIdent(storage.schema)}.${quoteIdent(name)}`);

    const started = Date.now();
    await Promise.all([
      insertHistory(connection, DOCUMENTS, unrestricted, { kinds: ['submissions'] }),
      insertHistory(connection, DOCUMENTS, unrestricted, { kinds: ['submissions'], names: { submissions: BARE_COLLECTION } }),
    ]);
    const idsOf = async (table: string) => {
      const qualified = `${quoteIdent(storage!.schema)}.${quoteIdent(table)}`;
      await pg.query(`ANALYZE ${qualified}`);
      return (await pg.query<{ id: string }>(`SELECT _jsonb->>'_id' AS id FROM ${qualified}`)).rows.map((row) => row.id);
    };
    const sides = {
      with: { label: 'with', model: indexed, ids: await idsOf(indexedTable) },
      without: { label: 'without', model: bare, ids: await idsOf(bareTable) },
    };
    options.log(
      `datastore-gin: ${sides.with.ids.length} submissions in ${storage.schema}.${indexedTable} (GIN: ${gins.join(', ')}) and ` +
        `${sides.without.ids.length} in ${bareTable} (none); inserted in ${Date.now() - started} ms`,
    );

    const find: Operation = (model, id) => model.findById(id).lean().exec();
    const update: Operation = (model, id, k) => model.updateOne({ _id: id }, { $set: { max_score: k } }).exec();
    const findFigure = await latency('findOne({_id})', n, find, sides, options.log);
    const updateFigure = await latency('updateOne({_id})', n, update, sides, options.log);
    return { bench: 'datastore-gin', n, documents: DOCUMENTS, target: TARGET, find: findFigure, update: updateFigure };
  } finally {
    await storage?.close();
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  }
}
