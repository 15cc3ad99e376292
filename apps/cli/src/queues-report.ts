import { Queue } from 'bullmq';
import { HopperConfig } from '@hopper/config';
import { bullmqScoreRange, MAX_PRIORITY, PRIORITY_RANGES, PriorityBandName } from '@hopper/ingest-policy';
import { ALL_QUEUES, createRedisConnection, queueDepth, QueueDepth, QueueName } from '@hopper/queues';

export interface QueueReport {
  queue: string;
  depth: QueueDepth;
  /** Worker connections BullMQ registered for the queue (CLIENT LIST), as seen right now. */
  workers: Array<{ addr: string; name: string; age_seconds: number; idle_seconds: number }>;
  failed_jobs: Array<{ id: string; failed_at: string | null; attempts: number; reason: string }>;
}

export interface QueuesReport {
  prefix: string;
  queues: QueueReport[];
  /** Submissions waiting for the dispatcher per priority band (the ingester's sampling looks at the same counts). */
  dispatch_bands: Array<{ band: string; priorities: string; waiting: number }>;
}

/** The bands from highest to lowest, and what lies above user-high (1501..2000, in no band). */
const BANDS: Array<{ band: string; range: readonly [number, number] }> = [
  { band: '(above user-high)', range: [PRIORITY_RANGES['user-high'][1] + 1, MAX_PRIORITY] },
  ...(Object.entries(PRIORITY_RANGES) as Array<[PriorityBandName, readonly [number, number]]>).sort((a, b) => b[1][0] - a[1][0]).map(([band, range]) => ({ band, range })),
];

/** Reads the work queues straight from Redis: depth per state, dispatch depth per priority band, workers, failed jobs. */
export async function readQueues(config: HopperConfig, failedJobs: number): Promise<QueuesReport> {
  // Redis or the cluster, as the other processes connect.
  const connection = createRedisConnection(config.redis, { maxRetriesPerRequest: 1, connectTimeout: 5000 });
  const queues = ALL_QUEUES.map((name) => new Queue(name, { connection, prefix: config.redis.prefix }));
  try {
    const reports: QueueReport[] = [];
    for (const queue of queues) {
      const [depth, workers, failed] = await Promise.all([queueDepth(queue), queue.getWorkers(), failedJobs ? queue.getFailed(0, failedJobs - 1) : []]);
      reports.push({
        queue: queue.name,
        depth,
        workers: workers.map((worker) => ({ addr: worker.addr, name: worker.name, age_seconds: Number(worker.age), idle_seconds: Number(worker.idle) })),
        failed_jobs: failed.filter(Boolean).map((job) => ({
          id: String(job.id),
          failed_at: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
          attempts: job.attemptsMade,
          reason: job.failedReason ?? '',
        })),
      });
    }
    const dispatch = queues.find((queue) => queue.name === QueueName.Dispatch)!;
    const pipeline = connection.pipeline();
    for (const { range } of BANDS) pipeline.zcount(dispatch.keys.prioritized, ...bullmqScoreRange(range));
    const replies = (await pipeline.exec()) ?? [];
    const dispatch_bands = BANDS.map(({ band, range }, index) => {
      const [error, count] = replies[index] ?? [new Error('no reply'), 0];
      if (error) throw error;
      return { band, priorities: `${range[0]}-${range[1]}`, waiting: Number(count) };
    });
    return { prefix: config.redis.prefix, queues: reports, dispatch_bands };
  } finally {
    await Promise.all(queues.map((queue) => queue.close()));
    connection.disconnect();
  }
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  '));
}

export function formatQueues(report: QueuesReport): string[] {
  const lines = [
    `queues (prefix ${report.prefix})`,
    ...table([
      ['QUEUE', 'WAITING', 'ACTIVE', 'DELAYED', 'FAILED', 'WORKERS'],
      ...report.queues.map(({ queue, depth, workers }) => [queue, String(depth.waiting), String(depth.active), String(depth.delayed), String(depth.failed), String(workers.length)]),
    ]),
    '',
    'dispatch queue waiting by priority band:',
    ...table([['BAND', 'PRIORITIES', 'WAITING'], ...report.dispatch_bands.map(({ band, priorities, waiting }) => [band, priorities, String(waiting)])]),
  ];
  const workers = report.queues.flatMap(({ queue, workers: seen }) => seen.map((worker) => [queue, worker.addr, `${worker.age_seconds}s`, `${worker.idle_seconds}s`]));
  lines.push('', workers.length ? 'workers seen:' : 'workers seen: none (no ingester or dispatcher is connected)');
  if (workers.length) lines.push(...table([['QUEUE', 'ADDRESS', 'CONNECTED', 'IDLE'], ...workers]));
  const failed = report.queues.flatMap(({ queue, failed_jobs }) => failed_jobs.map((job) => [queue, job.id, job.failed_at ?? '-', String(job.attempts), job.reason.replace(/\s+/g, ' ').slice(0, 120)]));
  if (failed.length) lines.push('', 'latest failed jobs:', ...table([['QUEUE', 'JOB', 'FAILED AT', 'ATTEMPTS', 'REASON'], ...failed]));
  return lines;
}
