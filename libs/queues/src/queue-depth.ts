import { Queue } from 'bullmq';

export type QueueDepth = Record<'waiting' | 'active' | 'delayed' | 'failed', number>;

/** Jobs per state; `waiting` includes prioritized jobs, which BullMQ keeps apart. One round trip. */
export async function queueDepth(queue: Queue): Promise<QueueDepth> {
  const counts = await queue.getJobCounts('wait', 'prioritized', 'paused', 'active', 'delayed', 'failed');
  return {
    waiting: (counts.wait ?? 0) + (counts.prioritized ?? 0) + (counts.paused ?? 0),
    active: counts.active ?? 0,
    delayed: counts.delayed ?? 0,
    failed: counts.failed ?? 0,
  };
}
