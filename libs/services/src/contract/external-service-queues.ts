import { Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import { ExternalServiceTask, externalServiceQueue } from './external-task';

/** The task queues of external services, opened on first use on the process's connection and closed together. */
export class ExternalServiceQueues {
  private readonly queues = new Map<string, Queue<ExternalServiceTask>>();

  constructor(
    private readonly connection: Redis | Cluster,
    private readonly prefix: string,
  ) {}

  of(serviceName: string): Queue<ExternalServiceTask> {
    let queue = this.queues.get(serviceName);
    if (!queue) {
      queue = new Queue<ExternalServiceTask>(externalServiceQueue(serviceName), { connection: this.connection, prefix: this.prefix });
      this.queues.set(serviceName, queue);
    }
    return queue;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}
