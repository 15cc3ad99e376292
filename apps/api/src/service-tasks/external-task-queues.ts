import { Inject, Injectable, NotFoundException, OnApplicationShutdown } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import IORedis from 'ioredis';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { REDIS_CONNECTION } from '@hopper/queues';
import { ExternalServiceTask, externalServiceQueue, parseServiceManifest, ServiceManifest } from '@hopper/services';

/** A task of an external service, with the service's manifest. */
export interface ExternalTaskAt {
  manifest: ServiceManifest;
  task: ExternalServiceTask;
  job: Job<ExternalServiceTask>;
}

/** The queues of the configured external services, to find the task a service is answering. */
@Injectable()
export class ExternalTaskQueues implements OnApplicationShutdown {
  private readonly manifests: Map<string, ServiceManifest>;
  private readonly queues = new Map<string, Queue<ExternalServiceTask>>();

  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    @Inject(REDIS_CONNECTION) private readonly connection: IORedis,
  ) {
    const manifests = config.services.external.map((manifest) => parseServiceManifest({ ...manifest, is_external: true }));
    this.manifests = new Map(manifests.map((manifest) => [manifest.name, manifest]));
  }

  async find(serviceName: string, taskId: string): Promise<ExternalTaskAt> {
    const manifest = this.manifests.get(serviceName);
    if (!manifest) throw new NotFoundException(`${serviceName} is not an external service of this system`);
    const job = await this.queue(serviceName).getJob(taskId);
    if (!job) throw new NotFoundException(`Task ${taskId} of ${serviceName} not found: it was never queued or has expired`);
    return { manifest, task: job.data, job };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }

  private queue(name: string): Queue<ExternalServiceTask> {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue<ExternalServiceTask>(externalServiceQueue(name), { connection: this.connection, prefix: this.config.redis.prefix });
      this.queues.set(name, queue);
    }
    return queue;
  }
}
