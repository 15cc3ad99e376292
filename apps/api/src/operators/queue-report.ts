import { Queue } from 'bullmq';
import { bullmqScoreRange, PRIORITY_RANGES, PriorityBandName } from '@hopper/ingest-policy';
import { queueDepth, QueueDepth, RedisConnection } from '@hopper/queues';

/** One queue as an operator reads it: jobs per state, prioritized waiting jobs per priority band, workers seen. */
export interface QueueReport {
  name: string;
  depth: QueueDepth;
  /** Waiting jobs by Assemblyline priority band (BullMQ's prioritized set); jobs without a priority are in none. */
  bands: Record<PriorityBandName, number>;
  workers: WorkerSeen[];
}

/** A worker connection BullMQ lists for the queue (Redis CLIENT LIST): where from, how long, idle for. */
export interface WorkerSeen {
  name: string;
  addr: string;
  age_seconds: number;
  idle_seconds: number;
}

const BANDS = Object.keys(PRIORITY_RANGES) as PriorityBandName[];

export async function queueReport(queue: Queue): Promise<QueueReport> {
  // The queue's own connection (an ioredis Redis or Cluster, typed by BullMQ as either client kind).
  const client = (await queue.client) as unknown as RedisConnection;
  const pipeline = client.pipeline();
  for (const band of BANDS) pipeline.zcount(queue.keys.prioritized, ...bullmqScoreRange(PRIORITY_RANGES[band]));
  const [depth, replies, workers] = await Promise.all([queueDepth(queue), pipeline.exec(), queue.getWorkers()]);
  const bands = {} as Record<PriorityBandName, number>;
  BANDS.forEach((band, index) => {
    const [error, count] = replies?.[index] ?? [new Error('no reply'), 0];
    if (error) throw error;
    bands[band] = Number(count);
  });
  return {
    name: queue.name,
    depth,
    bands,
    workers: workers.map((worker) => ({
      name: String(worker.name ?? ''),
      addr: String(worker.addr ?? ''),
      age_seconds: Number(worker.age ?? 0),
      idle_seconds: Number(worker.idle ?? 0),
    })),
  };
}

/** A failed job as the console lists it: enough to decide on a retry. */
export interface FailedJobView {
  id: string;
  name: string;
  failed_reason: string;
  attempts_made: number;
  finished_at: string | null;
  /** The submission or ingest the job was about, when its data says. */
  subject: string | null;
}

export function failedJobView(job: { id?: string; name: string; failedReason?: string; attemptsMade: number; finishedOn?: number; data: unknown }): FailedJobView {
  const data = (job.data ?? {}) as Record<string, unknown>;
  const subject = [data.sid, data.ingest_id, data.id].find((value) => typeof value === 'string') as string | undefined;
  return {
    id: String(job.id ?? ''),
    name: job.name,
    failed_reason: job.failedReason ?? '',
    attempts_made: job.attemptsMade,
    finished_at: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    subject: subject ?? null,
  };
}
