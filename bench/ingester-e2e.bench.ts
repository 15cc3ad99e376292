/** Unique ingests/s through the ingester (ingest → stub dispatch → completion → notification) versus a bare BullMQ worker draining as many jobs; target 0.75x. */
import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { HopperConfig, loadConfig } from '@hopper/config';
import { DEFAULT_JOB_OPTIONS, IngestTask, QueueName } from '@hopper/queues';
import { BenchOptions, BenchResult, Contender, PreparedRound } from './bench-types';
import { compare } from './harness';
import {
  ADD_BATCH,
  addInBatches,
  apiJobOptions,
  benchIngestTask,
  deleteKeys,
  ingesterServiceEnv,
  prepareIngesterRound,
  STUB_CONCURRENCY,
  uniqueSha256,
} from './support/ingester-app';
import { profileIngesterRounds } from './support/step-timer';

const DEFAULT_N = 2000;

/**
 * The candidate: N ingest tasks, each of a file of its own (each starts a scan: submission insert, dispatch,
 * stub completion) and each naming the round's notification queue; timed from the first add until the N-th
 * notification is in the queue (see prepareIngesterRound).
 */
const viaIngester: Contender = {
  name: 'ingester end to end',
  prepare: (n) => prepareIngesterRound(n, { label: 'e2e', sha256: () => uniqueSha256() }),
};

/**
 * The baseline: the same N tasks (same payload size, same job options, same batches) drained by a bare BullMQ
 * worker that does nothing with them, with the ingester's worker concurrency; timed from the first add until
 * the worker has completed the N-th job.
 */
function viaBareWorker(url: string, shipped: HopperConfig): Contender {
  const concurrency = shipped.workers.ingester.concurrency;
  return {
    name: `bare BullMQ worker (concurrency ${concurrency})`,
    async prepare(n: number): Promise<PreparedRound> {
      const prefix = `{bench-${randomBytes(6).toString('hex')}}`;
      const connection = new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, connectionName: 'bench-baseline' });
      const queue = new Queue<IngestTask>(QueueName.Ingest, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
      const worker = new Worker<IngestTask>(QueueName.Ingest, async () => undefined, { connection, prefix, concurrency });
      let settle!: { resolve: () => void; reject: (error: Error) => void };
      const allDone = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
      let completed = 0;
      worker.on('completed', () => ++completed === n && settle.resolve());
      worker.on('failed', (_job, error) => settle.reject(error));
      worker.on('error', (error) => settle.reject(error));
      await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()]);
      const tasks = Array.from({ length: n }, () => benchIngestTask(uniqueSha256(), 'measured', shipped.ui.enforce_quota));
      return {
        async execute() {
          await addInBatches(queue, tasks, (task) => ({ name: QueueName.Ingest, data: task, opts: apiJobOptions(shipped, task.ingest_id) }));
          await allDone;
        },
        async cleanup() {
          allDone.catch(() => undefined); // a round that failed early must not also leave an unhandled rejection
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
  // The shipped defaults (config/hopper.yml), which every ingester round runs with: concurrency, job options.
  const shipped = loadConfig({ env: {} });
  const sample = benchIngestTask(uniqueSha256(), 'measured', true);
  const n = options.n ?? DEFAULT_N;
  options.log(
    `ingester-e2e: ingest task ${JSON.stringify(sample).length} B on both sides, ${ADD_BATCH} per addBulk with the API's job options; ` +
      `ingester concurrency ${shipped.workers.ingester.concurrency} (ingest and complete workers), stub dispatcher concurrency ` +
      `${STUB_CONCURRENCY}, all in this process; MongoDB: one submission insert per ingest`,
  );
  const result = await compare(
    { bench: 'ingester-e2e', n, baseline: viaBareWorker(url, shipped), candidate: viaIngester, target: 0.75 },
    { log: options.log },
  );
  await profileIngesterRounds(n, options.log, { label: 'e2e', sha256: () => uniqueSha256() });
  return result;
}
