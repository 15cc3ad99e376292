/** Fetching one submission's results (8 services on each of 3 files) among 50,000 through FerretDB: one {sha256} query per file versus one findById per key, in parallel; the $in query FerretDB v1 cannot push down is logged for reference. */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Connection } from 'mongoose';
import { ACCESS_EMPTY, AccessControlParts } from '@hopper/classification';
import { connectMongo, ResultRecord, ResultsRepository } from '@hopper/datastore';
import { BenchOptions, BenchResult, Contender } from './bench-types';
import { compare } from './harness';
import { insertHistory } from './support/datastore-fixtures';
import { ingesterServiceEnv } from './support/ingester-app';

const DEFAULT_N = 20;
const DOCUMENTS = 50_000;
const FILES = 3;
const SERVICES = 8;

const unrestricted = (): AccessControlParts => ({ __access_lvl__: 100, __access_req__: [], __access_grp1__: [ACCESS_EMPTY], __access_grp2__: [ACCESS_EMPTY] });

function resultOf(sha256: string, service: string, sid: string): ResultRecord {
  const created = new Date();
  return {
    _id: `${sha256}.${service}.v1_0_0.c${randomBytes(10).toString('hex')}`,
    sha256,
    type: 'text/plain',
    size: 10,
    classification: 'TLP:C',
    created,
    expiry_ts: null,
    sid,
    response: {
      service_name: service,
      service_version: '1.0.0',
      service_category: 'Static Analysis',
      extracted: [],
      supplementary: [],
      milestones: { service_started: created, service_completed: created },
    },
    result: { score: 0, sections: [] },
    tags: [],
  };
}

/** `fetch` n times, one submission's keys at a time (the latency a `full` call pays). */
function contender(name: string, keys: string[], fetch: (keys: string[]) => Promise<ResultRecord[]>): Contender {
  return {
    name,
    async prepare(n) {
      return {
        async execute() {
          for (let i = 0; i < n; i++) {
            const found = await fetch(keys);
            if (found.length !== keys.length) throw new Error(`${name}: ${found.length} of ${keys.length} results`);
          }
        },
        cleanup: async () => undefined,
      };
    },
  };
}

export async function run(options: BenchOptions): Promise<BenchResult> {
  const env = ingesterServiceEnv();
  const n = options.n ?? DEFAULT_N;
  const url = new URL(env.HOPPER_MONGO_URL!);
  url.pathname = `/hopper_bench_lookup_${randomBytes(4).toString('hex')}`;
  const connection: Connection = await connectMongo(url.toString());
  try {
    const repository = new ResultsRepository(connection);
    await repository.ensureIndexes();
    await insertHistory(connection, DOCUMENTS, unrestricted, { kinds: ['results'] });
    const sid = randomBytes(11).toString('hex');
    const mine = Array.from({ length: FILES }, () => randomBytes(32).toString('hex')).flatMap((sha256) =>
      Array.from({ length: SERVICES }, (_, s) => resultOf(sha256, `Service${s}`, sid)),
    );
    await repository.results.collection.insertMany(mine as never[]);
    const keys = mine.map((record) => record._id);

    const inStart = performance.now();
    await repository.results.find({ _id: { $in: keys } }).lean().exec();
    options.log(`results-lookup: ${DOCUMENTS + keys.length} results; one $in query for ${keys.length} keys took ${Math.round(performance.now() - inStart)} ms`);

    const byId = (wanted: string[]) =>
      Promise.all(wanted.map((key) => repository.results.findById(key).lean<ResultRecord>().exec())).then((found) => found.filter((record): record is ResultRecord => record !== null));
    const bySha256 = async (wanted: string[]) => {
      const files = [...new Set(wanted.map((key) => key.slice(0, 64)))];
      const set = new Set(wanted);
      const found = await Promise.all(files.map((sha256) => repository.results.find({ sha256 }).lean<ResultRecord[]>().exec()));
      return found.flat().filter((record) => set.has(record._id));
    };
    return await compare(
      {
        bench: 'results-lookup',
        n,
        target: 1,
        baseline: contender(`findById per key (${keys.length})`, keys, byId),
        candidate: contender(`find({sha256}) per file (${FILES})`, keys, bySha256),
      },
      { log: options.log, rounds: 3, warmups: 1 },
    );
  } finally {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  }
}
