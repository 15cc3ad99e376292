import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsService } from '@hopper/observability';

/** What the automated-submission controls did, on the API's /metrics. */
export type SampleOutcome = 'created' | 'duplicate' | 'rate_limited' | 'type_refused' | 'member_skipped';

@Injectable()
export class ThreatGridMetrics {
  readonly samples: Counter<'outcome'>;

  constructor(metrics: MetricsService) {
    this.samples = new Counter({
      name: 'hopper_threatgrid_samples_total',
      help: 'Threat Grid samples by outcome: created, duplicate (dedupe window), rate_limited, type_refused, member_skipped (archive member refused by the type policy)',
      labelNames: ['outcome'],
      registers: [metrics.registry],
    });
  }

  count(outcome: SampleOutcome, by = 1): void {
    if (by > 0) this.samples.inc({ outcome }, by);
  }
}
