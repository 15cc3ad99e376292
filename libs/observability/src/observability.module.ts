import { Module } from '@nestjs/common';
import { MetricsService } from './metrics.service';
import { ReadinessService } from './readiness.service';

/** Readiness and metrics; needs the config, datastore, filestore and queues modules. */
@Module({ providers: [ReadinessService, MetricsService], exports: [ReadinessService, MetricsService] })
export class ObservabilityModule {}
