import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Job, Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { HopperConfig } from '@hopper/config';
import { workerModule } from '@hopper/observability';
import { FilesRepository } from '@hopper/datastore';
import { DispatchTask, IngestTask, NotificationMessage, PendingFiles, QueueName, SubmissionCompletion, SubmissionQuotas } from '@hopper/queues';
import { IngesterModule } from '../../apps/ingester/src/ingester.module';
// The bench builds ingest tasks the same way; one builder serves both.
import { benchIngestTask, uniqueSha256 } from '../../bench/support/ingester-app';

/** An ingester as `npm run start:ingester` runs it (workers, policy, Redis and MongoDB), inside the test process. */
export async function startIngester(config: HopperConfig): Promise<INestApplicationContext> {
  const moduleRef = await Test.createTestingModule({ imports: [workerModule('ingester', config, [IngesterModule])] }).compile();
  await moduleRef.init();
  return moduleRef;
}

/** Decides how the stub dispatcher ends a submission: its score, errors, or a failure. */
export type StubVerdict = { score: number; errors?: string[] } | { failure: string };

/**
 * Stands in for the dispatcher: takes `dispatch` tasks and answers each with a completion on `complete`, and
 * gives back the submit-pool slot a task of submit names, as the real one's SubmissionFinisher does. Records
 * every sid it was given, so tests can count dispatches.
 */
export class StubDispatcher {
  readonly dispatched: string[] = [];
  private readonly worker: Worker<DispatchTask>;
  private readonly complete: Queue<SubmissionCompletion>;

  constructor(connection: IORedis, prefix: string, verdict: (task: DispatchTask) => StubVerdict | Promise<StubVerdict>) {
    this.complete = new Queue(QueueName.Complete, { connection, prefix });
    const quotas = new SubmissionQuotas(connection, { prefix, enforce: true });
    this.worker = new Worker<DispatchTask>(
      QueueName.Dispatch,
      async (job: Job<DispatchTask>) => {
        this.dispatched.push(job.data.sid);
        const outcome = await verdict(job.data);
        const failed = 'failure' in outcome;
        if (job.data.scan_key === null && job.data.submitter) await quotas.release(job.data.submitter, job.data.sid);
        await this.complete.add(
          QueueName.Complete,
          {
            sid: job.data.sid,
            scan_key: job.data.scan_key,
            state: failed ? 'failed' : 'completed',
            max_score: failed ? 0 : outcome.score,
            errors: failed ? [] : (outcome.errors ?? []),
            failure: failed ? outcome.failure : null,
            completed_at: new Date().toISOString(),
          },
          { jobId: job.data.sid },
        );
      },
      { connection, prefix, concurrency: 8 },
    );
  }

  pause(): Promise<void> {
    return this.worker.pause();
  }

  resume(): void {
    this.worker.resume();
  }

  async close(): Promise<void> {
    await this.worker.close();
    await this.complete.close();
  }
}

/** An ingest task as the API makes it (the parts the ingester reads), for a file of `size` bytes. */
export function ingestTask(overrides: {
  sha256?: string;
  size?: number;
  params?: Record<string, unknown>;
  metadata?: Record<string, string>;
  queue?: string | null;
  threshold?: number | null;
  quotaHeld?: boolean;
} = {}): IngestTask {
  const queue = overrides.queue === undefined ? 'results' : overrides.queue;
  const task = benchIngestTask(overrides.sha256 ?? uniqueSha256(), queue, overrides.quotaHeld ?? false);
  const { submission } = task;
  submission.files[0].size = overrides.size ?? 100;
  Object.assign(submission.metadata, overrides.metadata ?? {});
  submission.params = { ...submission.params, description: 'test ingest', submitter: 'tester', ...(overrides.params ?? {}) };
  submission.notification.threshold = overrides.threshold ?? null;
  return task;
}

/** Waits until `read` answers something `done` accepts (polling; the test's timeout bounds it). */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, intervalMs = 50): Promise<T> {
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export type { NotificationMessage };

/**
 * Resolves once the ingester has recorded in `files` every sighting of `sha256` the API accepted (the API
 * leaves that write to the ingester): for tests that ingest files as fixtures and then read their documents.
 */
export async function sightingsRecorded(api: INestApplicationContext, sha256: string): Promise<void> {
  const pending = api.get(PendingFiles);
  const files = api.get(FilesRepository);
  await eventually(async () => (await pending.lookUp(sha256)).length === 0 && (await files.findBySha256(sha256)) !== null, (done) => done, 20);
}
