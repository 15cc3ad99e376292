import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { HopperConfig } from '@hopper/config';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { AlertsRepository, FilesRepository, SubmissionsRepository } from '@hopper/datastore';
import { IngestTask, NotificationMessage, NotificationQueues, PendingFiles, QueueName, RedisKeys, ScanRegistry, SubmissionQuotas } from '@hopper/queues';
import { eventually, ingestTask, startIngester, StubDispatcher, StubVerdict } from './support/ingester-harness';
import { isolatedConfig, serviceEnv, uniqueId } from './support/test-env';
import { pe32, plainText, storedZip } from './support/typed-samples';

describe('ingester worker (real Redis and MongoDB, stub dispatcher)', () => {
  let config: HopperConfig;
  let ingester: INestApplicationContext;
  let connection: IORedis;
  let ingestQueue: Queue<IngestTask>;
  let dispatchQueue: Queue;
  let dispatcher: StubDispatcher;
  let notifications: NotificationQueues;
  let registry: ScanRegistry;
  /** What the stub dispatcher answers, by sha256 of the submission's file (default: score 10). */
  const verdicts = new Map<string, StubVerdict>();
  const sidToSha = new Map<string, string>();
  /** The files the ingester handed the dispatcher (type, size, new to Hopper), by sha256. */
  const handedFiles = new Map<string, unknown>();

  beforeAll(async () => {
    config = isolatedConfig('ingester', {
      ui: { enforce_quota: true, default_quotas: { concurrent_submissions: 0, daily_submissions: 0 } },
      workers: { ingester: { concurrency: 8 } },
      core: { ingester: { sampling_at: { critical: 5 }, notification_queue_max_length: 0 } },
    });
    connection = new IORedis(serviceEnv().HOPPER_REDIS_URL!, { maxRetriesPerRequest: null });
    ingestQueue = new Queue(QueueName.Ingest, { connection, prefix: config.redis.prefix });
    dispatchQueue = new Queue(QueueName.Dispatch, { connection, prefix: config.redis.prefix });
    ingester = await startIngester(config);
    notifications = ingester.get(NotificationQueues);
    registry = ingester.get(ScanRegistry);
    const submissions = ingester.get(SubmissionsRepository);
    dispatcher = new StubDispatcher(connection, config.redis.prefix, async (task) => {
      for (const [sha256, handed] of Object.entries(task.files ?? {})) handedFiles.set(sha256, handed);
      const submission = await submissions.findBySid(task.sid);
      const sha256 = submission!.files[0].sha256;
      sidToSha.set(task.sid, sha256);
      const verdict = verdicts.get(sha256) ?? { score: 10 };
      // As the real dispatcher will: the submission document ends before the completion is announced.
      const failed = 'failure' in verdict;
      await submissions.finish(task.sid, {
        state: failed ? 'failed' : 'completed',
        max_score: failed ? 0 : verdict.score,
        errors: [],
        results: [],
        failure: failed ? verdict.failure : null,
        completed: new Date(),
      });
      return verdict;
    });
  });

  afterAll(async () => {
    await dispatcher.close();
    await ingester.get(SubmissionsRepository).model.db.dropDatabase();
    await ingester.close();
    await ingestQueue.obliterate({ force: true });
    await ingestQueue.close();
    await dispatchQueue.close();
    await connection.quit();
  });

  const add = (task: IngestTask) => ingestQueue.add(QueueName.Ingest, task, { jobId: task.ingest_id });
  const drain = async (queue: string, count: number): Promise<NotificationMessage[]> => {
    const messages: NotificationMessage[] = [];
    await eventually(
      async () => {
        messages.push(...(await notifications.popMany(queue, 1000)));
        return messages.length;
      },
      (length) => length >= count,
    );
    return messages;
  };
  const statusOf = (ingestId: string) => eventually(() => registry.status(ingestId), (status) => status !== null && status.state !== 'in_progress');

  it('scans a file once for many identical ingests, and notifies each of them with the same sid and score', async () => {
    const queue = uniqueId('nq');
    const sha256 = 'a'.repeat(63) + '1';
    verdicts.set(sha256, { score: 77 });
    const tasks = Array.from({ length: 100 }, () => ingestTask({ sha256, queue }));
    await ingestQueue.addBulk(tasks.map((task) => ({ name: QueueName.Ingest, data: task, opts: { jobId: task.ingest_id } })));
    const messages = await drain(queue, 100);
    expect(messages).toHaveLength(100);
    expect(new Set(messages.map((message) => message.ingest_id))).toEqual(new Set(tasks.map((task) => task.ingest_id)));
    const sids = new Set(messages.map((message) => message.submission.sid));
    expect(sids.size).toBe(1);
    expect(messages.every((message) => message.score === 77 && message.failure === '')).toBe(true);
    expect(dispatcher.dispatched.filter((sid) => sidToSha.get(sid) === sha256)).toHaveLength(1);
    const outcomes = await Promise.all(tasks.map((task) => statusOf(task.ingest_id)));
    expect(outcomes.filter((status) => status!.outcome === 'new')).toHaveLength(1);
    expect(outcomes.every((status) => status!.state === 'completed' && sids.has(status!.sid!))).toBe(true);
  });

  it('answers a later identical ingest from the cache, and rescans with ignore_cache', async () => {
    const queue = uniqueId('nq');
    const sha256 = 'b'.repeat(63) + '2';
    verdicts.set(sha256, { score: 300 });
    const first = ingestTask({ sha256, queue });
    await add(first);
    const [original] = await drain(queue, 1);

    const again = ingestTask({ sha256, queue });
    await add(again);
    const [cached] = await drain(queue, 1);
    expect(cached.submission.sid).toBe(original.submission.sid);
    expect(cached.score).toBe(300);
    expect((await statusOf(again.ingest_id))?.outcome).toBe('cached');

    const fresh = ingestTask({ sha256, queue, params: { ignore_cache: true } });
    await add(fresh);
    const [rescanned] = await drain(queue, 1);
    expect(rescanned.submission.sid).not.toBe(original.submission.sid);
    expect((await statusOf(fresh.ingest_id))?.outcome).toBe('new');
  });

  it('creates the submission document the dispatcher works from', async () => {
    const queue = uniqueId('nq');
    const task = ingestTask({ queue, metadata: { source: 'mail' } });
    await add(task);
    const [message] = await drain(queue, 1);
    const submission = await ingester.get(SubmissionsRepository).findBySid(message.submission.sid!);
    expect(submission).toMatchObject({
      sid: message.submission.sid,
      files: task.submission.files,
      metadata: { source: 'mail', ingest_id: task.ingest_id },
      state: 'completed',
      max_score: 10,
      scan_key: message.submission.scan_key,
    });
    expect(message.submission.scan_key).toMatch(/^[0-9a-f]{32}v0$/);
  });

  it('records the file sightings the API queued, batched: the first creates the files document, later ones count; the pending records go', async () => {
    const queue = uniqueId('nq');
    const sha256 = createHash('sha256').update(uniqueId('sighted')).digest('hex');
    const file = { sha256, md5: 'a'.repeat(32), sha1: 'b'.repeat(40), size: 10, entropy: 1.5, type: 'text/plain', classification: 'TLP:CLEAR' };
    const pending = ingester.get(PendingFiles);
    const files = ingester.get(FilesRepository);
    const sighted = (classification: string, seenAt: Date): IngestTask => ({
      ...ingestTask({ sha256, queue, size: 10 }),
      file_sighting: { file: { ...file, classification }, seen_at: seenAt.toISOString(), expiry: null },
    });
    // As the API does before it queues an ingest: the blob committed, the sighting pending until the ingester records it.
    await ingester.get<Filestore>(FILESTORE).put(sha256, Readable.from([Buffer.from('0123456789')]));
    const first = new Date(Date.now() - 60_000);
    await pending.remember({ file, seen_at: first.toISOString(), expiry: null });
    // Three sightings at once (the ingester runs 8 jobs at a time and batches their writes).
    await Promise.all([add(sighted('TLP:CLEAR', first)), add(sighted('TLP:CLEAR', first)), add(sighted('TLP:CLEAR', first))]);
    await drain(queue, 3);
    // (How a later sighting raises the classification: test/datastore.e2e-spec.ts, recordSeenMany.)
    const { classification: _written, ...measured } = file; // stored as the engine spells it
    expect(await files.findBySha256(sha256)).toMatchObject({ ...measured, _id: sha256, seen: { count: 3, first, last: first } });
    expect(await files.model.countDocuments({ _id: sha256 })).toBe(1);
    expect(await pending.lookUp(sha256)).toEqual([]);
  });

  it('identifies a sighting the API left without a type from the stored blob: the document and the dispatch task carry the type', async () => {
    const queue = uniqueId('nq');
    const samples: Array<[string, Buffer]> = [
      ['executable/windows/pe32', pe32(uniqueId('pe'))],
      ['archive/zip', storedZip([[`${uniqueId('member')}.txt`, 'hello']])],
      ['text/plain', plainText(uniqueId('words'))],
    ];
    const filestore = ingester.get<Filestore>(FILESTORE);
    const tasks = await Promise.all(
      samples.map(async ([, bytes]) => {
        const sha256 = createHash('sha256').update(bytes).digest('hex');
        await filestore.put(sha256, Readable.from([bytes]));
        // As the API queues an upload's sighting: measures and classification, no type, magic or mime.
        const file = { sha256, md5: createHash('md5').update(bytes).digest('hex'), sha1: 'b'.repeat(40), size: bytes.length, entropy: 3, classification: 'TLP:CLEAR' };
        return { ...ingestTask({ sha256, queue, size: bytes.length }), file_sighting: { file, seen_at: new Date().toISOString(), expiry: null } };
      }),
    );
    for (const task of tasks) await add(task);
    await drain(queue, samples.length);
    for (const [index, [type]] of samples.entries()) {
      const sha256 = tasks[index].submission.files[0].sha256;
      expect(await ingester.get(FilesRepository).findBySha256(sha256)).toMatchObject({ type, magic: expect.any(String), mime: expect.any(String) });
      expect(handedFiles.get(sha256)).toEqual({ type, size: samples[index][1].length, new: true });
    }
  });

  it('fails, and records no document for, an ingest whose blob is gone by the time its sighting is recorded (an expiry deletion took it)', async () => {
    const queue = uniqueId('nq');
    const sha256 = createHash('sha256').update(uniqueId('gone')).digest('hex');
    const file = { sha256, md5: 'a'.repeat(32), sha1: 'b'.repeat(40), size: 10, entropy: 1.5, type: 'text/plain', classification: 'TLP:CLEAR' };
    await add({ ...ingestTask({ sha256, queue, size: 10 }), file_sighting: { file, seen_at: new Date().toISOString(), expiry: null } });
    const [message] = await drain(queue, 1);
    expect(message.failure).toContain(`Blob ${sha256} not found in the filestore`);
    expect(await ingester.get(FilesRepository).findBySha256(sha256)).toBeNull();
  });

  it('skips the message of an ingest scoring under its threshold, but records its end', async () => {
    const queue = uniqueId('nq');
    const low = ingestTask({ queue, threshold: 500 });
    const high = ingestTask({ queue, threshold: 5 });
    await add(low);
    await add(high);
    const [message] = await drain(queue, 1);
    expect(message.ingest_id).toBe(high.ingest_id);
    expect(await statusOf(low.ingest_id)).toMatchObject({ state: 'completed', score: 10 });
    expect(await notifications.length(queue)).toBe(0);
  });

  it('raises one alert per submission for ingests with generate_alert scoring at or above 500', async () => {
    const queue = uniqueId('nq');
    const sha256 = 'c'.repeat(63) + '3';
    verdicts.set(sha256, { score: 1000 });
    const tasks = [ingestTask({ sha256, queue, params: { generate_alert: true } }), ingestTask({ sha256, queue, params: { generate_alert: true } })];
    for (const task of tasks) await add(task);
    const messages = await drain(queue, 2);
    const alert = await eventually(
      () => ingester.get(AlertsRepository).findBySid(messages[0].submission.sid!),
      (found) => found !== null && found.ingest_ids.length === 2,
    );
    expect(alert).toMatchObject({ score: 1000, submitter: 'tester', file: { sha256 } });
    expect(await ingester.get(AlertsRepository).model.countDocuments({ sid: messages[0].submission.sid })).toBe(1);
  });

  it('ends a refused ingest as a failure its submitter is notified of, and releases its async quota slot', async () => {
    const queue = uniqueId('nq');
    const quotas = ingester.get(SubmissionQuotas);
    const big = ingestTask({ queue, size: config.submission.max_file_size + 1, quotaHeld: true, params: { submitter: 'quota-user' } });
    // The API takes an ingest's slot from the async pool (Assemblyline's submission_async_quota).
    expect(await quotas.acquire('quota-user', { concurrent: 5, daily: 0 }, big.ingest_id, 'async')).toBeNull();
    expect((await quotas.usage('quota-user', 'async')).concurrent).toBe(1);
    await add(big);
    const [message] = await drain(queue, 1);
    expect(message.failure).toBe(`File too large (${config.submission.max_file_size + 1} > ${config.submission.max_file_size})`);
    expect(message.score).toBeNull();
    expect((await quotas.usage('quota-user', 'async')).concurrent).toBe(0);

    const invalid = ingestTask({ queue, sha256: 'not-a-hash' });
    await add(invalid);
    expect((await drain(queue, 1))[0].failure).toBe('Invalid sha256');
    expect(await statusOf(invalid.ingest_id)).toMatchObject({ state: 'failed', failure: 'Invalid sha256' });
  });

  it('delivers a failed scan to every ingest attached to it, and does not cache it', async () => {
    const queue = uniqueId('nq');
    const sha256 = 'd'.repeat(63) + '4';
    verdicts.set(sha256, { failure: 'Dispatcher gave up' });
    await add(ingestTask({ sha256, queue }));
    const [failed] = await drain(queue, 1);
    expect(failed.failure).toBe('Dispatcher gave up');
    verdicts.set(sha256, { score: 5 });
    await add(ingestTask({ sha256, queue }));
    const [retried] = await drain(queue, 1);
    expect(retried.failure).toBe('');
    expect(retried.submission.sid).not.toBe(failed.submission.sid);
  });

  it('drops under load (sampling) with a Skipped failure, unless the ingest must never drop', async () => {
    const queue = uniqueId('nq');
    await dispatcher.pause();
    try {
      // Fill the dispatch queue far past the critical band's threshold (5): tanh(2 × (40 − 5) / 5) ≈ 1. The
      // backlog itself is never_drop: on a slow machine the ingester re-reads the band length while filling it
      // and would otherwise drop most of it, so the queue never reached the length this test needs.
      const backlog = Array.from({ length: 40 }, () => ingestTask({ queue: null, params: { priority: 400, never_drop: true } }));
      for (const task of backlog) await add(task);
      // A worker that was fetching when paused may still take a job or two: 30 is far past the threshold anyway.
      await eventually(() => dispatchQueue.getJobCountByTypes('waiting', 'prioritized'), (count) => count >= 30);
      await new Promise((resolve) => setTimeout(resolve, 1100)); // the ingester reads the length at most once a second
      const sampled = ingestTask({ queue, params: { priority: 400 } });
      const kept = ingestTask({ queue, params: { priority: 400, never_drop: true } });
      await add(sampled);
      const [dropped] = await drain(queue, 1);
      expect(dropped).toMatchObject({ ingest_id: sampled.ingest_id, failure: 'Skipped', score: null });
      expect(await statusOf(sampled.ingest_id)).toMatchObject({ state: 'dropped' });
      await add(kept);
      expect((await eventually(() => registry.status(kept.ingest_id), (status) => status !== null))?.state).toBe('in_progress');
    } finally {
      dispatcher.resume();
    }
  });

  it("keeps a scan's in-flight record past the dispatch timeout (the time-out sweep ends the scan's ingests through it)", async () => {
    const queue = uniqueId('nq');
    await dispatcher.pause();
    try {
      const task = ingestTask({ queue });
      await add(task);
      const status = await eventually(() => registry.status(task.ingest_id), (found) => found !== null);
      // The sweep fails only submissions older than the timeout; a record that lapsed with it named no ingest to
      // end, and they stayed in_progress (the cluster e2e times a submission out for real).
      const { scan_key: scanKey } = (await eventually(() => ingester.get(SubmissionsRepository).findBySid(status!.sid!), (found) => found !== null))!;
      expect(await connection.ttl(new RedisKeys(config.redis.prefix).scan(scanKey!).inflight)).toBeGreaterThan(config.core.ingester.dispatch_timeout_seconds);
    } finally {
      dispatcher.resume();
    }
  });
});
