import { Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { QUEUES, queueDepth, Queues } from '@hopper/queues';

/** Prometheus metrics of one process: Node's defaults plus the depth of every queue, read at scrape time. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  constructor(@Inject(QUEUES) queues: Queues) {
    collectDefaultMetrics({ register: this.registry, prefix: 'hopper_' });
    new Gauge({
      name: 'hopper_queue_jobs',
      help: 'Jobs in each queue, by state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        await Promise.all(
          [...queues].map(async ([name, queue]) => {
            const depth = await queueDepth(queue);
            for (const [state, count] of Object.entries(depth)) this.set({ queue: name, state }, count);
          }),
        );
      },
    });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
