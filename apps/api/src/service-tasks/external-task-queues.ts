import { Inject, Injectable, NotFoundException, OnApplicationShutdown } from '@nestjs/common';
import { Job } from 'bullmq';
import type { RedisConnection } from '@hopper/queues';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { REDIS_CONNECTION } from '@hopper/queues';
import { ExternalServiceQueues, ExternalServiceTask, parseServiceManifest, ServiceManifest } from '@hopper/services';

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
  private readonly queues: ExternalServiceQueues;

  constructor(@Inject(HOPPER_CONFIG) config: HopperConfig, @Inject(REDIS_CONNECTION) connection: RedisConnection) {
    this.queues = new ExternalServiceQueues(connection, config.redis.prefix);
    const manifests = config.services.external.map((manifest) => parseServiceManifest({ ...manifest, is_external: true }));
    this.manifests = new Map(manifests.map((manifest) => [manifest.name, manifest]));
  }

  async find(serviceName: string, taskId: string): Promise<ExternalTaskAt> {
    const manifest = this.manifests.get(serviceName);
    if (!manifest) throw new NotFoundException(`${serviceName} is not an external service of this system`);
    const job = await this.queues.of(serviceName).getJob(taskId);
    if (!job) throw new NotFoundException(`Task ${taskId} of ${serviceName} not found: it was never queued or has expired`);
    return { manifest, task: job.data, job };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queues.close();
  }
}
