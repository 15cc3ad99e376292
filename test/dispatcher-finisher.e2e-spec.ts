import { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import { HopperConfig } from '@hopper/config';
import { SubmissionsRepository } from '@hopper/datastore';
import { SubmissionParamsSchema } from '@hopper/messages';
import { QueueName, SubmissionQuotas } from '@hopper/queues';
import { SubmissionFinisher, SWEEP_JOB, TIMED_OUT } from '../apps/dispatcher/src/submission-finisher';
import { announcedCompletion, startDispatcher, withQueue } from './support/dispatcher-harness';
import { eventually } from './support/ingester-harness';
import { isolatedConfig, uniqueId } from './support/test-env';

/*
 * Issue 18, item 2: the dispatcher ends every submission, whoever started it. It records the outcome, releases
 * the submitter's quota slot (the one place a submission's slot is released) and owns the time-out sweep, so a
 * deployment that only submits needs no ingester. A dispatch task that does not parse fails for good.
 */
describe('the dispatcher ends every submission', () => {
  let config: HopperConfig;
  let app: INestApplicationContext;
  let submissions: SubmissionsRepository;
  let quotas: SubmissionQuotas;

  beforeAll(async () => {
    config = isolatedConfig('finisher', { ui: { enforce_quota: true } });
    app = await startDispatcher(config);
    submissions = app.get(SubmissionsRepository);
    quotas = app.get(SubmissionQuotas);
  });

  afterAll(async () => {
    await submissions?.model.db.dropDatabase();
    await app?.close();
  });

  /** A running submission nothing dispatches (its task lost, say), started `at`, its slot taken under its sid. */
  async function running(at: Date, scanKey: string | null): Promise<{ sid: string; submitter: string }> {
    const sid = uniqueId('sid');
    const submitter = uniqueId('submitter');
    expect(await quotas.acquire(submitter, { concurrent: 5, daily: 0 }, sid)).toBeNull();
    await submissions.createIfAbsent({
      sid,
      classification: 'TLP:C',
      params: SubmissionParamsSchema.parse({ classification: 'TLP:C', submitter }),
      metadata: {},
      files: [{ name: 'a.txt', sha256: 'a'.repeat(64), size: 1 }],
      file_count: 1,
      state: 'submitted',
      times: { submitted: at, completed: null },
      scan_key: scanKey,
      max_score: 0,
      error_count: 0,
      errors: [],
      results: [],
      failure: null,
      expiry_ts: null,
    });
    return { sid, submitter };
  }

  it('schedules the time-out sweep on the dispatch queue', async () => {
    const schedulers = await withQueue(config, QueueName.Dispatch, (queue: Queue) => queue.getJobSchedulers());
    expect(schedulers.map((scheduler) => scheduler.name)).toContain(SWEEP_JOB);
  });

  it('times out a submission made through submit and gives back its quota slot (nothing announced: no ingest waits on it)', async () => {
    const now = new Date();
    const { sid, submitter } = await running(now, null);
    const later = new Date(now.getTime() + (config.core.ingester.dispatch_timeout_seconds + 60) * 1000);
    await app.get(SubmissionFinisher).sweep(new Date(now.getTime() + 60_000));
    expect(await submissions.findBySid(sid)).toMatchObject({ state: 'submitted' }); // not overdue yet
    expect((await quotas.usage(submitter)).concurrent).toBe(1);
    await app.get(SubmissionFinisher).sweep(later);
    expect(await submissions.findBySid(sid)).toMatchObject({ state: 'failed', failure: TIMED_OUT });
    expect((await quotas.usage(submitter)).concurrent).toBe(0);
    expect(await announcedCompletion(config, sid)).toBeNull();
  });

  it('times out an ingested submission and announces it with its scan key, for the ingester to end its ingests', async () => {
    const now = new Date();
    const scanKey = uniqueId('scan');
    const { sid } = await running(now, scanKey);
    await app.get(SubmissionFinisher).sweep(new Date(now.getTime() + (config.core.ingester.dispatch_timeout_seconds + 60) * 1000));
    expect(await submissions.findBySid(sid)).toMatchObject({ state: 'failed', failure: TIMED_OUT });
    expect(await announcedCompletion(config, sid)).toMatchObject({ sid, scan_key: scanKey, state: 'failed', max_score: 0, failure: TIMED_OUT });
  });

  it('fails a dispatch task that does not parse at its first attempt, and still ends its submission and frees its slot', async () => {
    const { sid, submitter } = await running(new Date(), null);
    const job = await withQueue(config, QueueName.Dispatch, (queue: Queue) => queue.add(QueueName.Dispatch, { sid, scan_key: 42 }, { jobId: sid, attempts: 3 }));
    const failed = await eventually(
      () => withQueue(config, QueueName.Dispatch, (queue: Queue) => queue.getJob(job.id!)),
      (found) => Boolean(found?.finishedOn),
    );
    expect(failed!.attemptsMade).toBe(1);
    expect(failed!.failedReason).toMatch(/^Invalid dispatch task: scan_key/);
    const record = await eventually(() => submissions.findBySid(sid), (found) => found?.state !== 'submitted');
    expect(record).toMatchObject({ state: 'failed', failure: expect.stringMatching(/^Dispatch failed: Invalid dispatch task/) });
    expect(await eventually(() => quotas.usage(submitter), (usage) => usage.concurrent === 0)).toMatchObject({ concurrent: 0 });
  });

  it('frees the slot of a submission deleted before its dispatch ran (the task names the submitter)', async () => {
    const { sid, submitter } = await running(new Date(), null);
    expect(await submissions.delete(sid)).toBe(true);
    // What the starter queues for submit, resubmit, the UI's start and Threat Grid.
    await withQueue(config, QueueName.Dispatch, (queue: Queue) => queue.add(QueueName.Dispatch, { sid, scan_key: null, submitter }, { jobId: sid, attempts: 3 }));
    expect(await eventually(() => quotas.usage(submitter), (usage) => usage.concurrent === 0)).toMatchObject({ concurrent: 0 });
    expect(await announcedCompletion(config, sid)).toBeNull();
  });
});
