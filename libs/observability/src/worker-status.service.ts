import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Server } from 'node:http';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { DependencyMonitor } from './dependency-monitor.service';
import { MetricsService } from './metrics.service';
import { ReadinessService } from './readiness.service';
import { boundPort, startStatusServer } from './status-server';

export const WORKER_NAME = Symbol('WORKER_NAME');
export type WorkerName = keyof HopperConfig['workers'];

/** Serves a worker's health and metrics on `workers.<name>.metrics_port`, when that is not 0. */
@Injectable()
export class WorkerStatusService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerStatusService.name);
  private server?: Server;

  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    @Inject(WORKER_NAME) private readonly name: WorkerName,
    private readonly readiness: ReadinessService,
    private readonly metrics: MetricsService,
    private readonly monitor: DependencyMonitor,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.workers[this.name].metrics_port;
    if (!port) return;
    this.server = await startStatusServer(port, this.readiness, this.metrics, this.monitor);
    this.logger.log(`health and metrics on port ${boundPort(this.server)}`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server!.close(resolve));
  }
}
