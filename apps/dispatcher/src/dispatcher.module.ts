import { Module } from '@nestjs/common';
import { ObservabilityModule } from '@hopper/observability';
import { ChildFileStore } from './child-file-store';
import { DispatcherMetrics } from './dispatcher-metrics';
import { DispatcherWorkers } from './dispatcher-workers.service';
import { ExternalServices } from './external-services';
import { EXTRA_SERVICES, ServiceCatalog } from './service-catalog';
import { ResultWrites } from './result-writes';
import { ServiceRunner } from './service-runner';
import { SubmissionDispatch } from './submission-dispatch';
import { SubmissionFinisher } from './submission-finisher';
import { submissionQuotasProvider } from '@hopper/queues';

/** The dispatcher: analysis services over each submission's files and what they extract. */
@Module({
  imports: [ObservabilityModule],
  providers: [
    // None in production; tests and embedders override it with their own in-process services.
    { provide: EXTRA_SERVICES, useValue: [] },
    ServiceCatalog, ChildFileStore, ExternalServices, ResultWrites, ServiceRunner, SubmissionDispatch, DispatcherMetrics,
    SubmissionFinisher, submissionQuotasProvider,
    DispatcherWorkers,
  ],
})
export class DispatcherModule {}
