import { Module } from '@nestjs/common';
import { DependencyMonitor } from './dependency-monitor.service';
import { MetricsService } from './metrics.service';
import { ReadinessService } from './readiness.service';

/** Readiness, liveness (the dependency monitor) and metrics; needs the config, datastore, filestore and queues modules. */
@Module({ providers: [ReadinessService, MetricsService, DependencyMonitor], exports: [ReadinessService, MetricsService, DependencyMonitor] })
export class ObservabilityModule {}
