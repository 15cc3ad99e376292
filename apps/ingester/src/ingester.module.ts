import { Module } from '@nestjs/common';
import { SubmissionStarter } from '@hopper/lifecycle';
import { ObservabilityModule } from '@hopper/observability';
import { notificationQueuesProvider, pendingFilesProvider, scanRegistryProvider, submissionQuotasProvider } from '@hopper/queues';
import { CompletionProcessor } from './completion.processor';
import { ExpiryJob } from './expiry-job';
import { IngestOutcomes } from './ingest-outcomes';
import { IngestPolicy } from './ingest-policy';
import { IngestProcessor } from './ingest.processor';
import { IngestWrites } from './ingest-writes';
import { IngesterMetrics } from './ingester-metrics';
import { IngesterWorkers } from './ingester-workers.service';

/** The ingester: Assemblyline's ingest policy over the `ingest` queue, and the completion of ingests. */
@Module({
  imports: [ObservabilityModule],
  providers: [
    notificationQueuesProvider,
    pendingFilesProvider,
    scanRegistryProvider,
    submissionQuotasProvider,
    IngesterMetrics,
    IngestPolicy,
    IngestOutcomes,
    IngestWrites,
    SubmissionStarter,
    IngestProcessor,
    CompletionProcessor,
    ExpiryJob,
    IngesterWorkers,
  ],
})
export class IngesterModule {}
