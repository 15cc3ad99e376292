/** Small-file submissions completed per second by the dispatcher (dispatch → services → completed) versus a bare BullMQ worker draining as many jobs. */
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { Logger } from 'nestjs-pino';
import { HopperConfig } from '@hopper/config';
import { FilesRepository, SubmissionsRepository } from '@hopper/datastore';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { workerModule } from '@hopper/observability';
import { systemDefaultParams } from '@hopper/profiles';
import { DEFAULT_JOB_OPTIONS, DispatchTask, QueueName, randomId, SubmissionCompletion } from '@hopper/queues';
import { DispatcherModule } from '../apps/dispatcher/src/dispatcher.module';
import { BenchOptions, BenchResult, Contender, PreparedRound } from './bench-types';
import { compare } from './harness';
import { addInBatches, deleteKeys, ingesterBenchConfig, ingesterServiceEnv, stopIngester } from './support/ingester-app';

const DEFAULT_N = 300;

/** A small text file of its own per submission, so no result is reused from the cache. */
function smallFile(index: number): Buffer {
  return Buffer.from(`report ${index} ${randomBytes(8).toString('hex')}: contact http://bench-domain.net/${index} or 10.0.0.${index % 250}\n`.repeat(8));
}

/** Stores the files and creates the submissions (untimed); answers the sids in order. */
async function prepareSubmissions(app: INestApplicationContext, config: HopperConfig, n: number): Promise<string[]> {
  const filestore = app.get<Filestore>(FILESTORE);
  const files = app.get(FilesRepository);
  const submissions = app.get(SubmissionsRepository);
  const params = { ...systemDefaultParams(config.submission, 'TLP:C'), submitter: 'bench' };
  const sids: string[] = [];
  for (let index = 0; index < n; index++) {
    const data = smallFile(index);
    const sha256 = createHash('sha256').update(data).digest('hex');
    await filestore.put(sha256, Readable.from([data]));
    const digest = (name: string) => createHash(name).update(data).digest('hex');
    await files.recordSeen({ sha256, md5: digest('md5'), sha1: digest('sha1'), size: data.length, type: 'text/plain', classification: 'TLP:C' }, new Date(), null);
    const sid = randomId();
    await submissions.createIfAbsent({
      sid, classification: 'TLP:C', params, metadata: {}, files: [{ name: `report-${index}.txt`, sha256, size: data.length }], file_count: 1,
      // A scan key, as an ingest's: the dispatcher announces only those on `complete`, which the bench counts.
      state: 'submitted', times: { submitted: new Date(), completed: null }, scan_key: `bench-${sid}`, max_score: 0, error_count: 0,
      errors: [], results: [], failure: null, expiry_ts: null,
    });
    sids.push(sid);
  }
  return sids;
}

/** Resolves when `n` jobs of the queue have completed (counted through a worker-less QueueEvents-free poll). */
async function waitForCompletions(queue: Queue, n: number): Promise<void> {
  for (;;) {
    const counts = await queue.getJobCounts('waiting', 'completed', 'prioritized');
    if (counts.waiting + counts.completed + counts.prioritized >= n) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The candidate: N submissions of a small text file dispatched through the built-in services, timed until the N-th completion is queued. */
const viaDispatcher: Contender = {
  name: 'dispatcher end to end (Characterize + IOC per file)',
  async prepare(n: number): Promise<PreparedRound> {
    const config = ingesterBenchConfig('dispatch');
    const app = await NestFactory.createApplicationContext(workerModule('dispatcher', config, [DispatcherModule]), { bufferLogs: true });
    app.useLogger(app.get(Logger));
    const connection = new IORedis(config.redis.url, { maxRetriesPerRequest: null });
    const dispatch = new Queue<DispatchTask>(QueueName.Dispatch, { connection, prefix: config.redis.prefix });
    const complete = new Queue<SubmissionCompletion>(QueueName.Complete, { connection, prefix: config.redis.prefix });
    const sids = await prepareSubmissions(app, config, n);
    await app.init();
    return {
      async execute() {
        await addInBatches(dispatch, sids, (sid) => ({ name: QueueName.Dispatch, data: { sid, scan_key: null }, opts: { jobId: sid } }));
        await waitForCompletions(complete, n);
      },
      async cleanup() {
        await dispatch.close();
        await complete.close();
        await connection.quit();
        await stopIngester(app, config);
      },
    };
  },
};

/** The baseline: N jobs of the same shape drained by a bare BullMQ worker with the dispatcher's concurrency. */
function viaBareWorker(url: string, concurrency: number): Contender {
  return {
    name: `bare BullMQ worker (concurrency ${concurrency})`,
    async prepare(n: number): Promise<PreparedRound> {
      const prefix = `{bench-${randomBytes(6).toString('hex')}}`;
      const connection = new IORedis(url, { maxRetriesPerRequest: null });
      const queue = new Queue<DispatchTask>(QueueName.Dispatch, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
      const worker = new Worker<DispatchTask>(QueueName.Dispatch, async () => undefined, { connection, prefix, concurrency });
      let completed = 0;
      let resolveAll!: () => void;
      const allDone = new Promise<void>((resolve) => (resolveAll = resolve));
      worker.on('completed', () => ++completed === n && resolveAll());
      await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()]);
      const sids = Array.from({ length: n }, () => randomId());
      return {
        async execute() {
          await addInBatches(queue, sids, (sid) => ({ name: QueueName.Dispatch, data: { sid, scan_key: null }, opts: { jobId: sid } }));
          await allDone;
        },
        async cleanup() {
          await worker.close();
          await queue.obliterate({ force: true });
          await deleteKeys(connection, `${prefix}:*`);
          await queue.close();
          await connection.quit();
        },
      };
    },
  };
}

export async function run(options: BenchOptions): Promise<BenchResult> {
  const url = ingesterServiceEnv().HOPPER_REDIS_URL!;
  const concurrency = ingesterBenchConfig('probe').workers.dispatcher.concurrency;
  const n = options.n ?? DEFAULT_N;
  options.log(
    `dispatcher-e2e: ${n} submissions of one ~1 KiB text file each (no cache hits); dispatcher concurrency ${concurrency}, ` +
      'built-in services (Characterize and IOC run on text; Extract does not accept it); per file: submission read, ' +
      'file read, 2 result lookups + 2 result writes, submission finish, completion add',
  );
  return compare({ bench: 'dispatcher-e2e', n, baseline: viaBareWorker(url, concurrency), candidate: viaDispatcher, target: 0.05 }, { log: options.log });
}
