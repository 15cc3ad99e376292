import { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { HopperConfig } from '@hopper/config';
import { SubmissionsRepository } from '@hopper/datastore';
import { IngestTask, NotificationMessage, NotificationQueues, QueueName, ScanRegistry, SubmissionQuotas } from '@hopper/queues';
import { eventually, ingestTask, startIngester } from './support/ingester-harness';
import { isolatedConfig, serviceEnv, uniqueId } from './support/test-env';

/*
 * Issue 18, item 5: a permanent error is not retried like a transient one. An ingest whose submission document
 * the database refuses for real (over MongoDB's 16 MiB document limit: the driver will not send it) ends at
 * once as failed, its submitter notified of why and its async quota slot free, although its job allows the
 * API's 11 attempts 240 s apart.
 */
describe('an ingest whose submission document the database refuses', () => {
  let config: HopperConfig;
  let ingester: INestApplicationContext;
  let connection: IORedis;
  let ingestQueue: Queue<IngestTask>;

  beforeAll(async () => {
    config = isolatedConfig('ingestrefused', { ui: { enforce_quota: true } });
    connection = new IORedis(serviceEnv().HOPPER_REDIS_URL!, { maxRetriesPerRequest: null });
    ingestQueue = new Queue(QueueName.Ingest, { connection, prefix: config.redis.prefix });
    ingester = await startIngester(config);
  });

  afterAll(async () => {
    await ingester.get(SubmissionsRepository).model.db.dropDatabase();
    await ingester.close();
    await ingestQueue.obliterate({ force: true });
    await ingestQueue.close();
    await connection.quit();
  });

  it('ends at once as failed, with every ingest of its scan, each notified of the reason, and frees their quota slots', async () => {
    const queue = uniqueId('nq');
    const submitter = uniqueId('refused');
    const quotas = ingester.get(SubmissionQuotas);
    // Two ingests of one file with the same parameters share one scan: the second attaches to the first's, or
    // (if the first already failed) starts its own; either way both must end.
    const description = 'x'.repeat(17 * 1024 * 1024);
    const sha256 = ingestTask().submission.files[0].sha256;
    const tasks = [0, 1].map(() => ingestTask({ sha256, queue, quotaHeld: true, params: { submitter, description } }));
    const { max_retries, retry_delay_seconds } = config.core.ingester;
    for (const task of tasks) {
      // As the API does: the async slot first, then the task with the configured retries.
      expect(await quotas.acquire(submitter, { concurrent: 5, daily: 0 }, task.ingest_id, 'async')).toBeNull();
      await ingestQueue.add(QueueName.Ingest, task, {
        jobId: task.ingest_id,
        attempts: max_retries + 1,
        backoff: { type: 'fixed', delay: retry_delay_seconds * 1000 },
      });
    }
    expect(max_retries).toBeGreaterThan(0);

    const notifications = ingester.get(NotificationQueues);
    const messages: NotificationMessage[] = [];
    await eventually(async () => messages.push(...(await notifications.popMany(queue, 10))), () => messages.length >= 2, 100);
    expect(messages.map((message) => message.ingest_id).sort()).toEqual(tasks.map((task) => task.ingest_id).sort());
    for (const message of messages) {
      expect(message.score).toBeNull();
      expect(message.failure).toMatch(/^Submission refused: /);
    }
    const registry = ingester.get(ScanRegistry);
    for (const task of tasks) {
      expect(await registry.status(task.ingest_id)).toMatchObject({ state: 'failed', failure: expect.stringMatching(/^Submission refused: /) });
    }
    expect((await quotas.usage(submitter, 'async')).concurrent).toBe(0);

    // Ended by their first attempt: the one that started the scan failed for good (BullMQ told not to retry,
    // so none waits 240 s for another turn); one that attached to it completed, its ingest ended with the scan.
    const jobs = await Promise.all(tasks.map((task) => eventually(() => ingestQueue.getJob(task.ingest_id), (job) => Boolean(job?.finishedOn))));
    expect(jobs.map((job) => job!.attemptsMade)).toEqual([1, 1]);
    expect(jobs.some((job) => job!.failedReason?.startsWith('Submission refused: '))).toBe(true);
    // No submission document was left behind for the refused scan.
    expect(await ingester.get(SubmissionsRepository).model.countDocuments({})).toBe(0);
  }, 60_000);

  it('ends an ingest task that does not parse at its first attempt, as failed with the field that is wrong, and frees its slot', async () => {
    const queue = uniqueId('nq');
    const submitter = uniqueId('invalid');
    const quotas = ingester.get(SubmissionQuotas);
    const task = ingestTask({ queue, quotaHeld: true, params: { submitter, priority: 'urgent' } });
    expect(await quotas.acquire(submitter, { concurrent: 5, daily: 0 }, task.ingest_id, 'async')).toBeNull();
    await ingestQueue.add(QueueName.Ingest, task, { jobId: task.ingest_id, attempts: config.core.ingester.max_retries + 1, backoff: { type: 'fixed', delay: 240_000 } });

    const messages = await eventually(() => ingester.get(NotificationQueues).popMany(queue, 10), (popped) => popped.length > 0, 100);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ ingest_id: task.ingest_id, score: null, failure: expect.stringMatching(/^Ingest failed: Invalid ingest task: submission\.params\.priority: /) });
    expect(await ingester.get(ScanRegistry).status(task.ingest_id)).toMatchObject({ state: 'failed', failure: messages[0].failure });
    expect((await quotas.usage(submitter, 'async')).concurrent).toBe(0);
    const job = await eventually(() => ingestQueue.getJob(task.ingest_id), (found) => Boolean(found?.finishedOn));
    expect(job!.attemptsMade).toBe(1); // not retried 240 s later
  }, 60_000);
});
