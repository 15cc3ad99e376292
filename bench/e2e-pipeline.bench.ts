/** Unique ingests/s end to end (upload → ingester → dispatcher → notification) versus a bare two-hop BullMQ pipeline (queue → worker → queue → worker → list) carrying as many jobs; target 0.2x. */
import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { DEFAULT_JOB_OPTIONS, randomId } from '@hopper/queues';
import { BenchOptions, BenchResult, Contender, PreparedRound } from './bench-types';
import { compare } from './harness';
import { benchConfig } from './support/ingest-app';
import { addInBatches, deleteKeys, waitForListLength } from './support/ingester-app';
import { LoadClient } from './support/load-client';
import { ingestUnique, Pipeline, PIPELINE_CONCURRENCY, PIPELINE_FILE_BYTES, startPipeline, stopPipeline } from './support/pipeline';
import { startStoreFloor, STORE_FLOOR_NAME, StoreFloor } from './support/store-floor';
import { expectAllOk } from './support/load-client';

const DEFAULT_N = 200;

function viaHopper(pipeline: Pipeline, client: LoadClient): Contender {
  const queue = `e2e-${randomBytes(4).toString('hex')}`;
  return {
    name: 'Hopper end to end (upload → notification, built-in services)',
    async prepare(n: number): Promise<PreparedRound> {
      return { execute: () => ingestUnique(pipeline, client, n, queue), cleanup: async () => undefined };
    },
  };
}

/**
 * Only the first step of Hopper's work, at its least: the same uploads stored and queued once by a bare server
 * (no second hop, no database, no services). Its ratio to the two-hop baseline bounds what the whole pipeline
 * can reach against it.
 */
function viaStoreFloor(floor: StoreFloor, client: LoadClient): Contender {
  let seed = 1;
  return {
    name: STORE_FLOOR_NAME,
    async prepare(n: number): Promise<PreparedRound> {
      const body = { kind: 'upload' as const, size: PIPELINE_FILE_BYTES, seed: (seed += n + 1), json: '{"name":"sample.bin"}', filename: 'sample.bin' };
      return {
        execute: async () => expectAllOk(await client.run({ url: floor.url, headers: {}, n, concurrency: PIPELINE_CONCURRENCY, body }), n, STORE_FLOOR_NAME),
        cleanup: () => floor.reset(),
      };
    },
  };
}

/**
 * The limit of the same shape of work with Hopper's logic removed: n jobs added, a first worker (the
 * ingester's concurrency) moves each to a second queue, a second worker (the dispatcher's concurrency) pushes
 * each to a list, as the notification; timed until the list holds n.
 */
function viaTwoHops(url: string, concurrency: { first: number; second: number }): Contender {
  return {
    name: `bare two-hop BullMQ (concurrency ${concurrency.first} then ${concurrency.second})`,
    async prepare(n: number): Promise<PreparedRound> {
      const prefix = `{bench-hops-${randomBytes(6).toString('hex')}}`;
      const connection = new IORedis(url, { maxRetriesPerRequest: null });
      const first = new Queue('first', { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
      const second = new Queue('second', { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
      const list = `${prefix}:done`;
      const hopOne = new Worker('first', async (job) => void (await second.add('second', job.data, { jobId: job.id })), { connection, prefix, concurrency: concurrency.first });
      const hopTwo = new Worker('second', async (job) => void (await connection.rpush(list, job.id!)), { connection, prefix, concurrency: concurrency.second });
      await Promise.all([first.waitUntilReady(), second.waitUntilReady(), hopOne.waitUntilReady(), hopTwo.waitUntilReady()]);
      const ids = Array.from({ length: n }, () => randomId());
      return {
        async execute() {
          await addInBatches(first, ids, (id) => ({ name: 'first', data: { id }, opts: { jobId: id } }));
          await waitForListLength(connection, list, n);
        },
        async cleanup() {
          await hopOne.close();
          await hopTwo.close();
          await first.close();
          await second.close();
          await deleteKeys(connection, `${prefix}:*`);
          await connection.quit();
        },
      };
    },
  };
}

export async function run(options: BenchOptions): Promise<BenchResult> {
  const config = benchConfig('e2e');
  const pipeline = await startPipeline(config);
  const client = await LoadClient.start();
  const floor = await startStoreFloor(config.redis.url);
  try {
    const concurrency = { first: config.workers.ingester.concurrency, second: config.workers.dispatcher.concurrency };
    options.log(`e2e-pipeline: n unique 1 KiB uploads, ${PIPELINE_CONCURRENCY} in flight; ingester concurrency ${concurrency.first}, dispatcher ${concurrency.second}`);
    return await compare(
      { bench: 'e2e-pipeline', n: options.n ?? DEFAULT_N, baseline: viaTwoHops(config.redis.url, concurrency), candidate: viaHopper(pipeline, client), target: 0.2, references: [viaStoreFloor(floor, client)] },
      { log: options.log, rounds: 3, warmups: 1 },
    );
  } finally {
    await floor.stop();
    await client.stop();
    await stopPipeline(pipeline);
  }
}
