import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Queue } from 'bullmq';
import { Readable } from 'node:stream';
import { HopperConfig } from '@hopper/config';
import { FilesRepository, SubmissionFile, SubmissionRecord, SubmissionsRepository } from '@hopper/datastore';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { identifyHead } from '@hopper/identify';
import { workerModule } from '@hopper/observability';
import { systemDefaultParams, SubmissionParams } from '@hopper/profiles';
import { createRedisConnection, DispatchTask, QueueName, randomId, SubmissionCompletion } from '@hopper/queues';
import { AnalysisService } from '@hopper/services';
import { createHash } from 'node:crypto';
import { DispatcherModule } from '../../apps/dispatcher/src/dispatcher.module';
import { EXTRA_SERVICES } from '../../apps/dispatcher/src/service-catalog';
import { eventually } from './ingester-harness';

/** A dispatcher as `npm run start:dispatcher` runs it, inside the test process, with extra in-process services. */
export async function startDispatcher(config: HopperConfig, extra: AnalysisService[] = []): Promise<INestApplicationContext> {
  const moduleRef = await Test.createTestingModule({
    imports: [workerModule('dispatcher', config, [DispatcherModule])],
  })
    .overrideProvider(EXTRA_SERVICES)
    .useValue(extra)
    .compile();
  await moduleRef.init();
  return moduleRef;
}

export interface SubmittedFile {
  name: string;
  data: Buffer;
}

/** Stores a file as the API does (blob under its sha256, then its document) and answers its sha256. */
export async function storeFile(app: INestApplicationContext, data: Buffer, classification = 'TLP:C'): Promise<string> {
  const sha256 = createHash('sha256').update(data).digest('hex');
  const filestore = app.get<Filestore>(FILESTORE);
  await filestore.put(sha256, Readable.from([data]));
  const type = await identifyHead(data.subarray(0, 65536));
  await app.get(FilesRepository).recordSeen(
    {
      sha256,
      md5: createHash('md5').update(data).digest('hex'),
      sha1: createHash('sha1').update(data).digest('hex'),
      size: data.length,
      type: type.type,
      magic: type.magic,
      mime: type.mime,
      classification,
    },
    new Date(),
    null,
  );
  return sha256;
}

/** Default parameters (Assemblyline's system defaults) with `overrides` over them. */
export function submissionParams(config: HopperConfig, overrides: Partial<SubmissionParams> = {}): SubmissionParams {
  return { ...systemDefaultParams(config.submission, 'TLP:C'), submitter: 'tester', ...overrides };
}

/** Creates a submission of `files` and queues it for the dispatcher, as submit does; answers its sid. */
export async function submit(
  app: INestApplicationContext,
  config: HopperConfig,
  files: SubmittedFile[],
  overrides: Partial<SubmissionParams> = {},
  scanKey: string | null = null,
): Promise<string> {
  const stored: SubmissionFile[] = [];
  for (const file of files) stored.push({ name: file.name, sha256: await storeFile(app, file.data), size: file.data.length });
  return queueSubmission(app, config, stored, overrides, scanKey);
}

/** Creates a submission of files already stored (or not: tests of missing files) and queues it, as `sid` if given. */
export async function queueSubmission(
  app: INestApplicationContext,
  config: HopperConfig,
  files: SubmissionFile[],
  overrides: Partial<SubmissionParams> = {},
  scanKey: string | null = null,
  sid: string = randomId(),
): Promise<string> {
  await app.get(SubmissionsRepository).createIfAbsent({
    sid,
    classification: 'TLP:C',
    params: submissionParams(config, overrides),
    metadata: {},
    files,
    file_count: files.length,
    state: 'submitted',
    times: { submitted: new Date(), completed: null },
    scan_key: scanKey,
    max_score: 0,
    error_count: 0,
    errors: [],
    results: [],
    failure: null,
    expiry_ts: null,
  });
  await withQueue<DispatchTask>(config, QueueName.Dispatch, (queue) => queue.add(QueueName.Dispatch, { sid, scan_key: scanKey }, { jobId: sid, attempts: 3 }));
  return sid;
}

/** Waits until the submission has ended and answers its document. */
export async function ended(app: INestApplicationContext, sid: string): Promise<SubmissionRecord> {
  const submissions = app.get(SubmissionsRepository);
  const record = await eventually(() => submissions.findBySid(sid), (found) => found !== null && found.state !== 'submitted');
  return record!;
}

/** The completion the dispatcher announced for `sid`, read from the `complete` queue. */
export async function announcedCompletion(config: HopperConfig, sid: string): Promise<SubmissionCompletion | null> {
  return withQueue<SubmissionCompletion, SubmissionCompletion | null>(config, QueueName.Complete, async (queue) => (await queue.getJob(sid))?.data ?? null);
}

/** Runs `use` with a queue on its own connection (to the Redis or the cluster of `config`), closed afterwards. */
export async function withQueue<T, R = unknown>(config: HopperConfig, name: string, use: (queue: Queue<T>) => Promise<R>): Promise<R> {
  const connection = createRedisConnection(config.redis);
  const queue = new Queue<T>(name, { connection, prefix: config.redis.prefix });
  try {
    return await use(queue);
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
