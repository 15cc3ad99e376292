import { Queue } from 'bullmq';
import type { RedisConnection } from '@hopper/queues';
import { ExternalServiceTask, externalServiceQueue } from '@hopper/services';

/** The queues of external services a test reads and feeds, opened once each on `connection()`, closed together. */
export class ServiceQueues {
  private readonly queues = new Map<string, Queue<ExternalServiceTask>>();

  constructor(
    private readonly connection: () => RedisConnection,
    private readonly prefix: () => string,
  ) {}

  of(service: string): Queue<ExternalServiceTask> {
    let queue = this.queues.get(service);
    if (!queue) {
      queue = new Queue<ExternalServiceTask>(externalServiceQueue(service), { connection: this.connection(), prefix: this.prefix() });
      this.queues.set(service, queue);
    }
    return queue;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}
