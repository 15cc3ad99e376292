import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { MetricsService } from '@hopper/observability';

/** The dispatcher's counters, on the process's /metrics. */
@Injectable()
export class DispatcherMetrics {
  readonly submissions: Counter<'state'>;
  readonly serviceRuns: Counter<'service' | 'outcome'>;
  readonly submissionSeconds: Histogram;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.submissions = new Counter({
      name: 'hopper_dispatcher_submissions_total',
      help: 'Submissions the dispatcher ended, by state (completed, failed)',
      labelNames: ['state'],
      registers,
    });
    this.serviceRuns = new Counter({
      name: 'hopper_dispatcher_service_runs_total',
      help: "Service runs on a file, by service and outcome (ran, reused from the results cache of another submission, error), counted once as the submission's analysis ends",
      labelNames: ['service', 'outcome'],
      registers,
    });
    this.submissionSeconds = new Histogram({
      name: 'hopper_dispatcher_submission_seconds',
      help: 'Time from taking a submission to ending it',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
      registers,
    });
  }
}
