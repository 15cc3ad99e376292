/**
 * The whole of Hopper in the benchmark process: the API (listening), the ingester and the dispatcher (its
 * built-in services), on one isolated configuration, as `npm start` runs them; plus the load that drives it end
 * to end: unique small files uploaded through POST /api/v4/ingest/ with a notification queue, until their
 * notifications are all queued.
 */
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import IORedis from 'ioredis';
import { Logger } from 'nestjs-pino';
import { HopperConfig } from '@hopper/config';
import { workerModule } from '@hopper/observability';
import { DispatcherModule } from '../../apps/dispatcher/src/dispatcher.module';
import { addBenchUser, BenchUser, RunningApi, startListeningApi, stopApi } from './ingest-app';
import { notificationKey, startIngester, waitForListLength } from './ingester-app';
import { expectAllOk, LoadClient } from './load-client';
import { deleteKeys } from './redis-keys';

/** The size of each uploaded file: small, so the pipeline's own costs are what is measured. */
export const PIPELINE_FILE_BYTES = 1024;
/** Uploads in flight at once. */
export const PIPELINE_CONCURRENCY = 16;

export interface Pipeline {
  config: HopperConfig;
  api: RunningApi;
  ingester: INestApplicationContext;
  dispatcher: INestApplicationContext;
  user: BenchUser;
  redis: IORedis;
}

export async function startPipeline(config: HopperConfig): Promise<Pipeline> {
  const api = await startListeningApi(config);
  const ingester = await startIngester(config);
  const dispatcher = await NestFactory.createApplicationContext(workerModule('dispatcher', config, [DispatcherModule]), { bufferLogs: true });
  dispatcher.useLogger(dispatcher.get(Logger));
  await dispatcher.init();
  const user = await addBenchUser(api.app);
  const redis = new IORedis(config.redis.url, { maxRetriesPerRequest: null });
  return { config, api, ingester, dispatcher, user, redis };
}

export async function stopPipeline(pipeline: Pipeline): Promise<void> {
  await pipeline.dispatcher.close();
  await pipeline.ingester.close();
  await deleteKeys(pipeline.redis, `hopper:${pipeline.config.redis.prefix.replace(/[{}]/g, '')}:*`).catch(() => undefined);
  await deleteKeys(pipeline.redis, `${pipeline.config.redis.prefix}:*`).catch(() => undefined);
  await pipeline.redis.quit();
  await stopApi(pipeline.api);
}

let seedCounter = 1_000;

/**
 * Uploads `n` files never seen before (pseudo-random bytes of a fresh seed each) with notification queue
 * `queue`, and resolves once their `n` notifications are queued: upload → ingester → dispatcher → completion →
 * notification, the whole way.
 */
export async function ingestUnique(pipeline: Pipeline, client: LoadClient, n: number, queue: string): Promise<void> {
  const seed = seedCounter;
  seedCounter += n + 1;
  const report = await client.run({
    url: `${pipeline.api.baseUrl}/api/v4/ingest/`,
    headers: pipeline.user.headers,
    n,
    concurrency: PIPELINE_CONCURRENCY,
    body: { kind: 'upload', size: PIPELINE_FILE_BYTES, seed, json: JSON.stringify({ name: 'sample.bin', notification_queue: queue }), filename: 'sample.bin' },
  });
  expectAllOk(report, n, 'POST /api/v4/ingest/');
  const key = notificationKey(pipeline.config, queue);
  await waitForListLength(pipeline.redis, key, n);
  await pipeline.redis.del(key);
}
