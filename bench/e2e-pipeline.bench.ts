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
import { ingestUnique, Pipeline, PIPELINE_CONCURRENCY, startPipeline, stopPipeline } from './support/pipeline';

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
  try {
    const concurrency = { first: config.workers.ingester.concurrency, second: config.workers.dispatcher.concurrency };
    options.log(`e2e-pipeline: n unique 1 KiB uploads, ${PIPELINE_CONCURRENCY} in flight; ingester concurrency ${concurrency.first}, dispatcher ${concurrency.second}`);
    return await compare(
      { bench: 'e2e-pipeline', n: options.n ?? DEFAULT_N, baseline: viaTwoHops(config.redis.url, concurrency), candidate: viaHopper(pipeline, client), target: 0.2 },
      { log: options.log, rounds: 3, warmups: 1 },
    );
  } finally {
    await client.stop();
    await stopPipeline(pipeline);
  }
}
