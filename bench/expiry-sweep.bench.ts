/** One expiry sweep over 50,000 expired submissions, results and files (with their blobs): time, and peak RSS against the RSS before it. */
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Connection } from 'mongoose';
import { ACCESS_EMPTY, AccessControlParts } from '@hopper/classification';
import { AlertsRepository, connectMongo, FilesRepository, ResultsRepository, SubmissionsRepository } from '@hopper/datastore';
import { ExpirySweeper, SweepReport } from '@hopper/expiry';
import { createFilestore } from '@hopper/filestore';
import { createRedisConnection, FileGuard, ScanRegistry } from '@hopper/queues';
import { BenchOptions } from './bench-types';
import { insertHistory } from './support/datastore-fixtures';
import { ingesterBenchConfig, ingesterServiceEnv } from './support/ingester-app';

const DEFAULT_N = 50_000;
const MB = 1024 * 1024;

export interface ExpiryBenchResult {
  bench: 'expiry-sweep';
  n: number;
  /** Documents the sweep deleted (submissions + results + files) and blobs. */
  documents: number;
  blobs: number;
  sweep_ms: number;
  documents_per_s: number;
  rss_before_mb: number;
  rss_peak_mb: number;
  /** Peak RSS during the sweep over the RSS before it (the baseline of the same run): flat memory is near 1. */
  rss_ratio: number;
  report: SweepReport;
}

const unrestricted = (): AccessControlParts => ({ __access_lvl__: 100, __access_req__: [], __access_grp1__: [ACCESS_EMPTY], __access_grp2__: [ACCESS_EMPTY] });

/**
 * `n` submissions, results and files, all expired, each file with a (tiny) blob in a local filestore; one sweep
 * with the shipped batch size and enough batches to take them all. RSS is sampled every 20 ms during it.
 */
export async function run(options: BenchOptions): Promise<ExpiryBenchResult> {
  ingesterServiceEnv();
  const n = options.n ?? DEFAULT_N;
  const config = ingesterBenchConfig('expiry', { overrides: { expiry: { max_batches_per_sweep: Math.ceil(n / 1000) + 1 } } });
  const connection: Connection = await connectMongo(config.mongo.url);
  const redis = createRedisConnection(config.redis);
  try {
    const files = new FilesRepository(connection);
    const repositories = {
      submissions: new SubmissionsRepository(connection),
      results: new ResultsRepository(connection),
      alerts: new AlertsRepository(connection, unrestricted),
      files,
    };
    await Promise.all(Object.values(repositories).map((repository) => repository.ensureIndexes()));
    const expiry = new Date(Date.now() - 1000);
    const setupStart = performance.now();
    options.log(`inserting ${n} expired submissions, results and files...`);
    await insertHistory(connection, n, unrestricted, { expiry });
    const filestore = createFilestore(config.filestore);
    options.log(`writing ${n} blobs... (inserted in ${Math.round(performance.now() - setupStart)} ms)`);
    const root = config.filestore.local.path;
    const ids = (await files.model.find({}, { _id: 1 }).lean<{ _id: string }[]>().exec()).map((doc) => doc._id);
    for (let start = 0; start < ids.length; start += 200) {
      await Promise.all(
        ids.slice(start, start + 200).map(async (key) => {
          const dir = join(root, key.slice(0, 2), key.slice(2, 4));
          await mkdir(dir, { recursive: true });
          await writeFile(join(dir, key), key);
        }),
      );
    }

    const sweeper = new ExpirySweeper({
      ...repositories,
      filestore,
      guard: new FileGuard(redis, config.redis.prefix),
      registry: new ScanRegistry(redis, { prefix: config.redis.prefix }),
      redis,
      prefix: config.redis.prefix,
      settings: config.expiry,
    });
    options.log(`sweeping... (set up in ${Math.round(performance.now() - setupStart)} ms)`);
    global.gc?.();
    const rssBefore = process.memoryUsage.rss();
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 20);
    const start = performance.now();
    const report = (await sweeper.sweep(new Date()))!;
    const sweepMs = Math.round(performance.now() - start);
    clearInterval(sampler);
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());

    const documents = report.documents.submissions + report.documents.results + report.documents.files;
    const result: ExpiryBenchResult = {
      bench: 'expiry-sweep',
      n,
      documents,
      blobs: report.expired_blobs,
      sweep_ms: sweepMs,
      documents_per_s: Math.round((documents / sweepMs) * 1000),
      rss_before_mb: Math.round(rssBefore / MB),
      rss_peak_mb: Math.round(rssPeak / MB),
      rss_ratio: Math.round((rssPeak / rssBefore) * 100) / 100,
      report,
    };
    options.log(
      `swept ${documents} documents and ${result.blobs} blobs in ${sweepMs} ms (${result.documents_per_s} documents/s); ` +
        `RSS ${result.rss_before_mb} MB before, ${result.rss_peak_mb} MB at its peak (x${result.rss_ratio}); finished: ${report.finished}`,
    );
    return result;
  } finally {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
    await redis.quit();
  }
}
