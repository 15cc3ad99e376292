/** Adds and consumes n jobs through libs/queues versus raw BullMQ; the wrapper should cost under 10%. */
import { randomBytes } from 'node:crypto';
import { Processor, Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { createQueue, createRedisConnection, createWorker, DEFAULT_JOB_OPTIONS, QueueName, RedisConnection } from '@hopper/queues';
import { BenchOptions, BenchResult, Contender, PreparedRound } from './bench-types';
import { BenchSetupError, compare } from './harness';

const DEFAULT_N = 5000;
/** Jobs per addBulk call: one round trip per batch, as a busy API would add them. */
const BATCH = 500;
/** The same on both sides. Above 1 so the run measures queue overhead, not one job's round trips in a row. */
const CONCURRENCY = 50;
/** Roughly the size of an ingest task, so Redis moves realistic payloads. */
const PAYLOAD = { sha256: 'a'.repeat(64), priority: 150, params: { services: ['extract', 'static'], ttl: 30 } };

/** How one side builds its producer and consumer; everything else about a round is shared. */
type Build = (url: string, prefix: string, processor: Processor) => { connection: RedisConnection; queue: Queue; worker: Worker };

const viaLibsQueues: Build = (url, prefix, processor) => {
  const connection = createRedisConnection({ url, cluster: { nodes: [] } });
  const queue = createQueue(QueueName.Ingest, { connection, prefix });
  const worker = createWorker(QueueName.Ingest, processor, { connection, prefix }, { concurrency: CONCURRENCY });
  return { connection, queue, worker };
};

/**
 * Raw BullMQ set up the way libs/queues sets it up: the connection options of createRedisConnection,
 * one shared connection for queue and worker (BullMQ opens the worker's blocking one), and DEFAULT_JOB_OPTIONS as the queue's default job options.
 * The options matter (removeOnComplete, for one, makes every completion trim the completed set), so
 * without them the ratio would measure a different workload rather than the wrapper.
 */
const viaRawBullmq: Build = (url, prefix, processor) => {
  const connection = new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
  const queue = new Queue(QueueName.Ingest, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
  const worker = new Worker(QueueName.Ingest, processor, {
    connection,
    prefix,
    concurrency: CONCURRENCY,
  });
  return { connection, queue, worker };
};

function contender(name: string, url: string, build: Build): Contender {
  return {
    name,
    async prepare(n: number): Promise<PreparedRound> {
      // A fresh hash-tagged prefix per round: no round sees another's jobs, and cleanup can find every key.
      const prefix = `{bench-${randomBytes(6).toString('hex')}}`;
      const { connection, queue, worker } = build(url, prefix, async () => undefined);

      // Counted from the worker's events, which fire after BullMQ has moved the job to completed.
      let settle!: { resolve: () => void; reject: (error: Error) => void };
      const allDone = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
      let completed = 0;
      worker.on('completed', () => ++completed === n && settle.resolve());
      worker.on('failed', (_job, error) => settle.reject(error));
      worker.on('error', (error) => settle.reject(error));
      await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()]);

      return {
        async execute() {
          for (let from = 0; from < n; from += BATCH) {
            const size = Math.min(BATCH, n - from);
            await queue.addBulk(Array.from({ length: size }, (_, i) => ({ name: 'bench', data: { seq: from + i, ...PAYLOAD } })));
          }
          await allDone;
        },
        async cleanup() {
          allDone.catch(() => undefined); // a round that failed early must not also leave an unhandled rejection
          await worker.close();
          await queue.obliterate({ force: true });
          await removeKeys(connection, prefix); // whatever obliterate leaves (e.g. the events stream)
          await queue.close();
          await connection.quit();
        },
      };
    },
  };
}

async function removeKeys(connection: RedisConnection, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await connection.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length) await connection.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

export async function run(options: BenchOptions): Promise<BenchResult> {
  const url = process.env.HOPPER_REDIS_URL;
  if (!url) {
    throw new BenchSetupError(
      'HOPPER_REDIS_URL is not set: run `eval "$(scripts/services.sh env)"` after `scripts/services.sh up redis`',
    );
  }
  return compare(
    {
      bench: 'queues',
      n: options.n ?? DEFAULT_N,
      baseline: contender('raw-bullmq', url, viaRawBullmq),
      candidate: contender('libs-queues', url, viaLibsQueues),
      target: 0.9,
    },
    { log: options.log },
  );
}
