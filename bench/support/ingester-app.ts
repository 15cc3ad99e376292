/**
 * The ingester as the ingester benchmarks run it: `IngesterModule` in a worker application context built the
 * way `npm run start:ingester` builds it (`workerModule`), inside the benchmark process, on the local services,
 * isolated (its own database, queue prefix and filestore directory) and removed without a trace afterwards;
 * plus the stand-in dispatcher, the producer of ingest tasks, and the wait for notifications.
 *
 * Copied (trimmed) from test/support/ingester-harness.ts rather than imported: tsconfig.build.json, which
 * compiles bench/ into dist/, excludes test/, and that harness starts the ingester with @nestjs/testing (a
 * development dependency) where a benchmark should start it as production does (NestFactory).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Job, JobsOptions, Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { Logger } from 'nestjs-pino';
import { deepMerge, HopperConfig, loadConfig, parseConfig } from '@hopper/config';
import { SubmissionsRepository } from '@hopper/datastore';
import { workerModule } from '@hopper/observability';
import { DEFAULT_JOB_OPTIONS, DispatchTask, IngestTask, QueueName, randomId, RedisKeys, SubmissionCompletion } from '@hopper/queues';
import { IngesterModule } from '../../apps/ingester/src/ingester.module';
import { PreparedRound } from '../bench-types';
import { BenchSetupError } from '../harness';
import { deleteKeys } from './redis-keys';

export { deleteKeys };

const REQUIRED = ['HOPPER_REDIS_URL', 'HOPPER_MONGO_URL'];

export function ingesterServiceEnv(): NodeJS.ProcessEnv {
  const missing = REQUIRED.filter((name) => !process.env[name]);
  if (missing.length) {
    throw new BenchSetupError(
      `the ingester benchmarks need the local services (missing ${missing.join(', ')}): ` +
        'run `scripts/services.sh up && eval "$(scripts/services.sh env)"` first',
    );
  }
  return process.env;
}

/**
 * A validated configuration on the local services with its own database, queue prefix and filestore
 * directory; `redisUrl` replaces the services' Redis (the round-trip count runs on a private one).
 * Everything else is the shipped defaults (config/hopper.yml): ingester concurrency 4, quotas enforced.
 */
export function ingesterBenchConfig(label: string, options: { redisUrl?: string; overrides?: Record<string, unknown> } = {}): HopperConfig {
  const id = `${label}-${randomBytes(4).toString('hex')}`;
  const env = ingesterServiceEnv();
  const mongo = new URL(env.HOPPER_MONGO_URL!);
  mongo.pathname = `/hopper_bench_${id.replace(/-/g, '_')}`;
  const base = loadConfig({
    env: {
      HOPPER_REDIS_URL: options.redisUrl ?? env.HOPPER_REDIS_URL,
      HOPPER_MONGO_URL: mongo.toString(),
      HOPPER_QUEUE_PREFIX: `{bench-${id}}`,
      HOPPER_FILESTORE_DIR: mkdtempSync(join(tmpdir(), 'hopper-bench-files-')),
      HOPPER_LOG_LEVEL: 'warn',
    },
  });
  return parseConfig(deepMerge(base as unknown as Record<string, unknown>, options.overrides ?? {}));
}

/** The ingester application context, started (its workers consume `ingest` and `complete`). */
export async function startIngester(config: HopperConfig): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(workerModule('ingester', config, [IngesterModule]), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  await app.init();
  return app;
}

/** Closes the ingester and removes its database, Redis keys and filestore directory. */
export async function stopIngester(app: INestApplicationContext, config: HopperConfig): Promise<void> {
  await app.get(SubmissionsRepository).model.db.dropDatabase().catch(() => undefined);
  await app.close();
  const redis = new IORedis(config.redis.url, { maxRetriesPerRequest: null });
  try {
    await deleteKeys(redis, `${config.redis.prefix}:*`); // every key of the deployment (RedisKeys)
  } finally {
    await redis.quit();
  }
  rmSync(config.filestore.local.path, { recursive: true, force: true });
}


/** The Redis list a notification queue name maps to (NotificationQueues.key). */
export function notificationKey(config: HopperConfig, queue: string): string {
  return new RedisKeys(config.redis.prefix).notificationQueue(queue);
}

/**
 * Stands in for the dispatcher: takes `dispatch` tasks and answers each at once with a completed submission
 * (score 10, no errors) on `complete`, job id = sid, as the real one will. It does not touch MongoDB (the test
 * harness's stub ends the submission document too; the ingester itself never reads it back), so what is
 * measured is the ingester's work, not a dispatcher's.
 */
export class StubDispatcher {
  dispatched = 0;
  private readonly worker: Worker<DispatchTask>;
  private readonly complete: Queue<SubmissionCompletion>;

  constructor(connection: IORedis, prefix: string, options: { concurrency: number }) {
    this.complete = new Queue(QueueName.Complete, { connection, prefix });
    this.worker = new Worker<DispatchTask>(
      QueueName.Dispatch,
      async (job: Job<DispatchTask>) => {
        this.dispatched++;
        await this.complete.add(
          QueueName.Complete,
          {
            sid: job.data.sid,
            scan_key: job.data.scan_key,
            state: 'completed',
            max_score: 10,
            errors: [],
            failure: null,
            completed_at: new Date().toISOString(),
          },
          { jobId: job.data.sid },
        );
      },
      { connection, prefix, concurrency: options.concurrency },
    );
  }

  waitUntilReady(): Promise<unknown> {
    return Promise.all([this.worker.waitUntilReady(), this.complete.waitUntilReady()]);
  }

  async close(): Promise<void> {
    await this.worker.close();
    await this.complete.close();
  }
}

/** An ingest task as the API makes it (the parts the ingester reads) for the file `sha256`. */
export function benchIngestTask(sha256: string, notificationQueue: string | null, quotaHeld: boolean): IngestTask {
  const ingestId = randomId();
  const now = new Date().toISOString();
  return {
    ingest_id: ingestId,
    ingest_time: now,
    submission: {
      sid: ingestId,
      time: now,
      files: [{ name: 'sample.bin', sha256, size: 4096 }],
      metadata: { ingest_id: ingestId, type: 'INGEST', ts: now },
      params: {
        classification: 'TLP:C',
        deep_scan: false,
        description: '[INGEST] Inspection of file: sample.bin',
        generate_alert: false,
        groups: [],
        ignore_cache: false,
        ignore_recursion_prevention: false,
        ignore_dynamic_recursion_prevention: false,
        ignore_filtering: false,
        ignore_size: false,
        never_drop: false,
        malicious: false,
        max_extracted: 100,
        max_supplementary: 100,
        priority: 150,
        profile: false,
        psid: null,
        quota_item: false,
        services: { selected: [], excluded: [], rescan: [], resubmit: [] },
        service_spec: {},
        submitter: 'bench',
        ttl: 0,
        type: 'INGEST',
        initial_data: null,
        auto_archive: false,
        delete_after_archive: false,
        use_archive_alternate_dtl: false,
      },
      notification: { queue: notificationQueue, threshold: null },
      scan_key: null,
    },
    retries: 0,
    failure: '',
    extended_scan: 'submitted',
    quota_held: quotaHeld,
  };
}

/** A sha256 of its own for every call: a unique file. */
export function uniqueSha256(): string {
  return createHash('sha256').update(randomBytes(16)).digest('hex');
}

/** The job options the API gives an ingest job (IngestService.jobOptions). */
export function apiJobOptions(config: Pick<HopperConfig, 'core'>, ingestId: string): JobsOptions {
  const { max_retries, retry_delay_seconds } = config.core.ingester;
  return { jobId: ingestId, attempts: max_retries + 1, backoff: { type: 'fixed', delay: retry_delay_seconds * 1000 } };
}

/** Jobs per addBulk call: one round trip per batch, as in bench/queues.bench.ts. */
export const ADD_BATCH = 500;

/** Adds `items` to `queue` ADD_BATCH at a time. */
export async function addInBatches<T>(queue: Queue, items: readonly T[], toJob: (item: T) => { name: string; data: unknown; opts?: JobsOptions }) {
  for (let from = 0; from < items.length; from += ADD_BATCH) {
    await queue.addBulk(items.slice(from, from + ADD_BATCH).map(toJob) as Parameters<Queue['addBulk']>[0]);
  }
}

/**
 * Resolves once the list `key` holds `count` entries, polling LLEN every `intervalMs` on `redis` (a connection
 * of the benchmark's own). 5 ms: a fraction of a percent of a round of a second or more, and one cheap command
 * per poll. Rejects after `timeoutMs`, so a lost notification stops the benchmark instead of hanging it.
 */
export async function waitForListLength(redis: IORedis, key: string, count: number, timeoutMs = 300_000, intervalMs = 5): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const length = await redis.llen(key);
    if (length >= count) return;
    if (Date.now() > deadline) throw new Error(`${key}: ${length} of ${count} notifications after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The stub dispatcher of the benchmarks runs 8 at once, as the test harness's does: never what waits. */
export const STUB_CONCURRENCY = 8;

export interface IngesterRoundOptions {
  /** Names the configuration (database, prefix). */
  label: string;
  /** The file of the warm-up ingest (default: a file of its own). */
  warmUpSha256?: string;
  /** The sha256 of the i-th timed ingest. */
  sha256: (i: number) => string;
  /** Called once the ingester runs, before the warm-up ingest (to wrap or time its steps). */
  onStarted?: (app: INestApplicationContext) => void;
  /** Overrides of the configuration (defaults: config/hopper.yml). */
  overrides?: Record<string, unknown>;
}

/**
 * One measured round of an ingester: a fresh ingester (own prefix, own database) and stub dispatcher, warmed by
 * one ingest that goes the whole way (scripts loaded, collection created) before the clock starts; then N ingest
 * tasks naming the round's notification queue, added as the API adds them (its job options, ADD_BATCH per
 * addBulk), timed from the first add until the N-th notification message is in that queue.
 */
export async function prepareIngesterRound(n: number, options: IngesterRoundOptions): Promise<PreparedRound> {
  const config = ingesterBenchConfig(options.label, { overrides: options.overrides });
  const app = await startIngester(config);
  options.onStarted?.(app);
  const { url, prefix } = config.redis;
  const traffic = new IORedis(url, { maxRetriesPerRequest: null, connectionName: 'bench-producer' });
  const stubConnection = new IORedis(url, { maxRetriesPerRequest: null, connectionName: 'bench-stub' });
  const ingestQueue = new Queue<IngestTask>(QueueName.Ingest, { connection: traffic, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
  const stub = new StubDispatcher(stubConnection, prefix, { concurrency: STUB_CONCURRENCY });
  const quotaHeld = config.ui.enforce_quota;
  const cleanup = async () => {
    await stub.close();
    await ingestQueue.close();
    await traffic.quit();
    await stubConnection.quit();
    await stopIngester(app, config);
  };
  try {
    await Promise.all([ingestQueue.waitUntilReady(), stub.waitUntilReady()]);
    const warm = benchIngestTask(options.warmUpSha256 ?? uniqueSha256(), 'warm-up', quotaHeld);
    await ingestQueue.add(QueueName.Ingest, warm, apiJobOptions(config, warm.ingest_id));
    await waitForListLength(traffic, notificationKey(config, 'warm-up'), 1, 60_000);

    const queue = 'measured';
    const tasks = Array.from({ length: n }, (_, i) => benchIngestTask(options.sha256(i), queue, quotaHeld));
    const key = notificationKey(config, queue);
    return {
      async execute() {
        await addInBatches(ingestQueue, tasks, (task) => ({ name: QueueName.Ingest, data: task, opts: apiJobOptions(config, task.ingest_id) }));
        await waitForListLength(traffic, key, n);
      },
      cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
