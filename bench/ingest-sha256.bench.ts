/** Requests/s of POST /api/v4/ingest/ {sha256, name} over HTTP versus raw BullMQ queue.add of the same task; target 0.1x (issue 17). */
import { randomBytes } from 'node:crypto';
import { Job, JobsOptions, Queue } from 'bullmq';
import IORedis from 'ioredis';
import { DEFAULT_JOB_OPTIONS, IngestTask, QueueName, randomId } from '@hopper/queues';
import { BenchOptions, BenchResult, Contender, PreparedRound } from './bench-types';
import { compare } from './harness';
import { addBenchUser, benchConfig, firstIngestId, ingestQueue, resetIngestState, RunningApi, seedKnownFile, startListeningApi, stopApi } from './support/ingest-app';
import { expectAllOk, LoadClient, LoadSpec } from './support/load-client';

const DEFAULT_N = 2000;
/** Requests (or adds) in flight at once, on both sides. */
const CONCURRENCY = 16;

async function jobOf(running: RunningApi, ingestId: string): Promise<Job<IngestTask>> {
  const job = await ingestQueue(running.app).getJob(ingestId);
  if (!job) throw new Error(`no ingest job ${ingestId}`);
  return job as Job<IngestTask>;
}

/**
 * The candidate: the whole route as a client sees it (HTTP keep-alive, API-key authentication, the file
 * document lookup, the quota call, the file document update and the queue add), the client in its own process.
 */
function viaApi(running: RunningApi, client: LoadClient, spec: Omit<LoadSpec, 'n'>): Contender {
  return {
    name: 'POST /api/v4/ingest/ sha256',
    async prepare(n: number): Promise<PreparedRound> {
      return {
        async execute() {
          expectAllOk(await client.run({ ...spec, n }), n, 'POST /api/v4/ingest/');
        },
        cleanup: () => resetIngestState(running),
      };
    },
  };
}

/**
 * The baseline: the queue add the route ends with, alone: the task the API enqueued for this very request
 * (a new ingest id each time), added with raw BullMQ, with the queue options libs/queues gives the API's
 * queue and the job options the API gave that job, from CONCURRENCY loops.
 */
function viaRawBullmq(url: string, template: IngestTask, jobOptions: JobsOptions): Contender {
  return {
    name: 'raw BullMQ queue.add',
    async prepare(n: number): Promise<PreparedRound> {
      const prefix = `{bench-${randomBytes(6).toString('hex')}}`;
      const connection = new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
      const queue = new Queue(QueueName.Ingest, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
      await queue.waitUntilReady();
      return {
        async execute() {
          let next = 0;
          const loop = async () => {
            while (next++ < n) {
              const id = randomId();
              const task: IngestTask = { ...template, ingest_id: id, submission: { ...template.submission, sid: id } };
              await queue.add(QueueName.Ingest, task, { ...jobOptions, jobId: id });
            }
          };
          await Promise.all(Array.from({ length: CONCURRENCY }, loop));
        },
        async cleanup() {
          await queue.obliterate({ force: true });
          let cursor = '0';
          do {
            const [following, keys] = await connection.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
            if (keys.length) await connection.del(...keys);
            cursor = following;
          } while (cursor !== '0');
          await queue.close();
          await connection.quit();
        },
      };
    },
  };
}

export async function run(options: BenchOptions): Promise<BenchResult> {
  const running = await startListeningApi(benchConfig('sha256'));
  let client: LoadClient | null = null;
  try {
    client = await LoadClient.start();
    const user = await addBenchUser(running.app);
    const url = `${running.baseUrl}/api/v4/ingest/`;

    // A file the datastore knows, as it is once its first ingest is recorded.
    const { sha256 } = await seedKnownFile(running, client, user);

    const spec = { url, headers: user.headers, concurrency: CONCURRENCY, body: { kind: 'json' as const, json: JSON.stringify({ sha256, name: 'known.exe' }) } };
    const probe = await client.run({ ...spec, n: 1 });
    expectAllOk(probe, 1, 'probe request');
    const probeJob = await jobOf(running, firstIngestId(probe));
    const template = probeJob.data;
    const jobOptions: JobsOptions = { attempts: probeJob.opts.attempts, backoff: probeJob.opts.backoff };
    await resetIngestState(running);
    options.log(
      `ingest-sha256: request body ${spec.body.json.length} B, queued task ${JSON.stringify(template).length} B ` +
        `(the baseline adds the same task), concurrency ${CONCURRENCY} on both sides`,
    );

    return await compare(
      {
        bench: 'ingest-sha256',
        n: options.n ?? DEFAULT_N,
        baseline: viaRawBullmq(running.config.redis.url, template, jobOptions),
        candidate: viaApi(running, client, spec),
        target: 0.1,
      },
      { log: options.log },
    );
  } finally {
    await client?.stop();
    await stopApi(running);
  }
}
