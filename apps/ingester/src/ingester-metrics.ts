import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsService } from '@hopper/observability';

/** The ingester's counters, on the process's /metrics. */
@Injectable()
export class IngesterMetrics {
  readonly ingests: Counter<'outcome'>;
  readonly failures: Counter<'reason'>;
  readonly notifications: Counter<'result'>;
  readonly alerts: Counter<'result'>;
  readonly dispatchRetries: Counter;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.ingests = new Counter({
      name: 'hopper_ingester_ingests_total',
      help: 'Ingests handled, by how they were served: new scan, cached result, attached to a running scan',
      labelNames: ['outcome'],
      registers,
    });
    this.failures = new Counter({
      name: 'hopper_ingester_failures_total',
      help: 'Ingests that ended without a scan, by reason (dropped, too large, invalid, timed out, failed)',
      labelNames: ['reason'],
      registers,
    });
    this.notifications = new Counter({
      name: 'hopper_ingester_notifications_total',
      help: 'Ingest outcomes delivered: sent to a queue, skipped (no queue or below threshold), queue full',
      labelNames: ['result'],
      registers,
    });
    this.alerts = new Counter({
      name: 'hopper_ingester_alerts_total',
      help: 'Alerts: raised, or merged into the existing alert of the same submission',
      labelNames: ['result'],
      registers,
    });
    this.dispatchRetries = new Counter({
      name: 'hopper_ingester_dispatch_retries_total',
      help: 'Attempts to create and dispatch a submission that had to be retried',
      registers,
    });
  }
}
