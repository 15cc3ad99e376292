/**
 * The API application as the ingest benchmarks run it: built by `createApi` (as `main.ts` builds it), on the
 * local services, isolated from everything else (its own database, queue prefix, filestore directory or
 * bucket), listening on a loopback port, and removed without a trace afterwards.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import IORedis from 'ioredis';
import { Client as MinioClient } from 'minio';
import { newAccount, newApiKey } from '@hopper/accounts';
import { deepMerge, HopperConfig, loadConfig, parseConfig } from '@hopper/config';
import { FilesRepository, NewFile, UsersRepository } from '@hopper/datastore';
import { IngestTask, PendingFiles, QUEUES, QueueName, Queues } from '@hopper/queues';
import { Job } from 'bullmq';
import { expectAllOk, LoadClient, LoadReport } from './load-client';
import { createApi } from '../../apps/api/src/create-api';
import { BenchSetupError } from '../harness';
import { deleteKeys } from './redis-keys';

const REQUIRED = ['HOPPER_REDIS_URL', 'HOPPER_MONGO_URL', 'HOPPER_S3_ENDPOINT', 'HOPPER_S3_ACCESS_KEY', 'HOPPER_S3_SECRET_KEY'];

export function serviceEnv(): NodeJS.ProcessEnv {
  const missing = REQUIRED.filter((name) => !process.env[name]);
  if (missing.length) {
    throw new BenchSetupError(
      `the ingest benchmarks need the local services (missing ${missing.join(', ')}): ` +
        'run `scripts/services.sh up && eval "$(scripts/services.sh env)"` first',
    );
  }
  return process.env;
}

/**
 * A validated configuration on the local services with its own database, queue prefix, filestore directory
 * and bucket; `overrides` are merged over it. Logging is at `warn`: at the default `info`, pino-http would
 * write a line per request to the benchmark's stdout.
 */
export function benchConfig(label: string, overrides: Record<string, unknown> = {}): HopperConfig {
  const id = `${label}-${randomBytes(4).toString('hex')}`;
  const env = serviceEnv();
  const mongo = new URL(env.HOPPER_MONGO_URL!);
  mongo.pathname = `/hopper_bench_${id.replace(/-/g, '_')}`;
  const base = loadConfig({
    env: {
      HOPPER_REDIS_URL: env.HOPPER_REDIS_URL,
      HOPPER_MONGO_URL: mongo.toString(),
      HOPPER_QUEUE_PREFIX: `{bench-${id}}`,
      HOPPER_FILESTORE_DIR: mkdtempSync(join(tmpdir(), 'hopper-bench-files-')),
      HOPPER_S3_ENDPOINT: env.HOPPER_S3_ENDPOINT,
      HOPPER_S3_ACCESS_KEY: env.HOPPER_S3_ACCESS_KEY,
      HOPPER_S3_SECRET_KEY: env.HOPPER_S3_SECRET_KEY,
      HOPPER_S3_BUCKET: `bench-${id}`.toLowerCase(),
      HOPPER_LOG_LEVEL: 'warn',
    },
  });
  // HOPPER_BENCH_CONFIG (JSON) overrides the shipped defaults for a what-if, e.g. the concurrency and batch
  // measurements behind config/hopper.yml: HOPPER_BENCH_CONFIG='{"workers":{"dispatcher":{"concurrency":8}}}'.
  const whatIf = env.HOPPER_BENCH_CONFIG ? (JSON.parse(env.HOPPER_BENCH_CONFIG) as Record<string, unknown>) : {};
  return parseConfig(deepMerge(deepMerge(base as unknown as Record<string, unknown>, whatIf), overrides));
}

export interface RunningApi {
  app: INestApplication;
  config: HopperConfig;
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
}

export async function startListeningApi(config: HopperConfig): Promise<RunningApi> {
  const app = await createApi(config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, config, baseUrl: `http://127.0.0.1:${address.port}` };
}

export interface BenchUser {
  uname: string;
  /** `X-USER` + `X-APIKEY`. */
  headers: Record<string, string>;
}

/**
 * A user of type `user` (which holds `submission_create`) with an API key and no concurrent-submission
 * quota: nothing consumes the ingest queue during a benchmark, so the default quota (5 in flight) would
 * refuse the sixth request. Quotas stay enforced, so their Redis call is part of what is measured.
 */
export async function addBenchUser(app: INestApplication): Promise<BenchUser> {
  const users = app.get(UsersRepository);
  const uname = `bench_${randomBytes(4).toString('hex')}`;
  const record = await newAccount({ uname, classification: 'TLP:C', type: ['user'] });
  await users.create({ ...record, submission_quota: 0, submission_daily_quota: 0 }, new Date());
  const key = newApiKey('benchkey');
  await users.setApiKey(uname, 'benchkey', key.record);
  return { uname, headers: { 'x-user': uname, 'x-apikey': key.apikey } };
}

/** Removes the waiting ingest tasks and the quota holds of this app, so every round starts from the same state. */
export async function resetIngestState(running: RunningApi): Promise<void> {
  await ingestQueue(running.app).drain(true);
  const redis = new IORedis(running.config.redis.url, { maxRetriesPerRequest: null });
  try {
    await deleteKeys(redis, `${running.config.redis.prefix}:quota:*`); // the keys keep the prefix's braces (its hash tag)
  } finally {
    await redis.quit();
  }
}

/**
 * Removes every file document and (local filestore) every blob, so a round that stores new files starts
 * from an empty collection. It matters on the development FerretDB: there an update or upsert by _id scans
 * the collection (measured: ~1.8 ms at 60 documents, ~16-23 ms at 6 000), so rounds would slow down one
 * after the other as the files of earlier rounds pile up.
 */
export async function forgetFiles(running: RunningApi): Promise<void> {
  await running.app.get(FilesRepository).model.deleteMany({}).exec();
  // And their records (FileRecords), which a deletion behind the repository's back leaves.
  const redis = new IORedis(running.config.redis.url, { maxRetriesPerRequest: null });
  try {
    await deleteKeys(redis, `${running.config.redis.prefix}:file:*`);
  } finally {
    await redis.quit();
  }
  if (running.config.filestore.backend !== 'local') return;
  const root = running.config.filestore.local.path;
  for (const entry of readdirSync(root)) {
    if (entry !== '.staging') rmSync(join(root, entry), { recursive: true, force: true });
  }
}

/** The ingest id the API answered in the first 200 of a run. */
export function firstIngestId(report: LoadReport): string {
  return (JSON.parse(report.sample[0]!) as { api_response: { ingest_id: string } }).api_response.ingest_id;
}

/** One 4 KiB upload through the ingest route (bytes made from `seed`), answered 200. */
export async function uploadSmallFile(running: RunningApi, client: LoadClient, user: BenchUser, name: string, seed: number): Promise<LoadReport> {
  const report = await client.run({
    url: `${running.baseUrl}/api/v4/ingest/`,
    headers: user.headers,
    n: 1,
    concurrency: 1,
    body: { kind: 'upload', size: 4096, seed, json: JSON.stringify({ name }), filename: name },
  });
  expectAllOk(report, 1, `upload of ${name}`);
  return report;
}

/**
 * A file Hopper knows, as it is once its first ingest has been recorded: uploaded once through the route,
 * then its sighting recorded in `files` as the ingester records it (through FilesRepository, which also keeps
 * the file's record in Redis) and its pending sighting dropped. No ingester runs in these benchmarks: without
 * this step the file would stay known by its pending sighting alone, a state that lasts milliseconds in service.
 * Answers the sha256 and the seeding upload's task.
 */
export async function seedKnownFile(running: RunningApi, client: LoadClient, user: BenchUser): Promise<{ sha256: string; task: IngestTask }> {
  const seeded = await uploadSmallFile(running, client, user, 'seed.bin', 7);
  const job = (await ingestQueue(running.app).getJob(firstIngestId(seeded))) as Job<IngestTask> | undefined;
  const sighting = job?.data.file_sighting;
  if (!job || !sighting) throw new BenchSetupError('the seeding upload queued no file sighting');
  // The type is the ingester's to find (it identifies the stored blob); any type does for a lookup.
  await running.app.get(FilesRepository).recordSeen({ ...sighting.file, type: sighting.file.type ?? 'unknown' } as NewFile, new Date(sighting.seen_at), null);
  await running.app.get(PendingFiles).forget([sighting.file]);
  await resetIngestState(running);
  return { sha256: sighting.file.sha256, task: job.data };
}

export function ingestQueue(app: INestApplication) {
  return app.get<Queues>(QUEUES).get(QueueName.Ingest)!;
}

/** Closes the app and removes its database, Redis keys, filestore directory and bucket. */
export async function stopApi(running: RunningApi): Promise<void> {
  const { app, config } = running;
  await app.get(FilesRepository).model.db.dropDatabase().catch(() => undefined);
  await ingestQueue(app).obliterate({ force: true }).catch(() => undefined);
  await app.close();
  const redis = new IORedis(config.redis.url, { maxRetriesPerRequest: null });
  try {
    await deleteKeys(redis, `${config.redis.prefix}:*`); // every key of the deployment (RedisKeys)
  } finally {
    await redis.quit();
  }
  rmSync(config.filestore.local.path, { recursive: true, force: true });
  if (config.filestore.backend === 's3') await removeBucket(config);
}


export function minioClient(config: HopperConfig): MinioClient {
  const url = new URL(config.filestore.s3.endpoint!);
  return new MinioClient({
    endPoint: url.hostname,
    port: Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
    useSSL: url.protocol === 'https:',
    accessKey: config.filestore.s3.access_key!,
    secretKey: config.filestore.s3.secret_key!,
  });
}

/** Every object (and unfinished multipart upload) in the benchmark's bucket whose name starts with `prefix`. */
export async function listObjects(config: HopperConfig, prefix = ''): Promise<string[]> {
  const client = minioClient(config);
  if (!(await client.bucketExists(config.filestore.s3.bucket))) return [];
  const names: string[] = [];
  for await (const item of client.listObjectsV2(config.filestore.s3.bucket, prefix, true)) {
    if ((item as { name?: string }).name) names.push((item as { name: string }).name);
  }
  return names;
}

async function removeBucket(config: HopperConfig): Promise<void> {
  const client = minioClient(config);
  const bucket = config.filestore.s3.bucket;
  if (!(await client.bucketExists(bucket))) return;
  const names = await listObjects(config);
  if (names.length) await client.removeObjects(bucket, names);
  for await (const upload of client.listIncompleteUploads(bucket, '', true)) {
    await client.removeIncompleteUpload(bucket, (upload as { key: string }).key).catch(() => undefined);
  }
  await client.removeBucket(bucket);
}

/** Entries under a local filestore's `.staging` (none once every upload has been committed or discarded). */
export function localStagingEntries(config: HopperConfig): string[] {
  const staging = join(config.filestore.local.path, '.staging');
  return existsSync(staging) ? readdirSync(staging) : [];
}

/** Samples the process's RSS every `intervalMs` until stopped; reports the peak above the first sample. */
export class RssSampler {
  private readonly start = process.memoryUsage().rss;
  private peak = this.start;
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 50) {
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  private sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
  }

  /** Stops sampling; the peak RSS increase in bytes. */
  stop(): number {
    this.sample();
    clearInterval(this.timer);
    return this.peak - this.start;
  }
}

export const MiB = 1024 * 1024;
