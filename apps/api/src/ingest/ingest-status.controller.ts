import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAlErrors, ApiAlResponse, ApiPaths } from '../openapi/api-docs.decorators';
import { ref } from '../openapi/schema-builders';
import { IngestStatus, QUEUES, QueueName, Queues, ScanRegistry } from '@hopper/queues';
import { AlApi } from '../al-api/al-api.decorator';
import { RequireRoles } from '../auth/auth.decorators';

export type IngestStatusAnswer = IngestStatus | { ingest_id: string; state: 'queued'; outcome: null; sid: null; score: null; failure: null };

/**
 * Hopper's extra: where an ingest stands. `queued` (waiting for the ingester), `in_progress` with how it was
 * served (`new` scan, `attached` to a running one), or its end: `completed` (sid, score, and `cached` when a
 * fresh earlier result answered it), `failed` or `dropped` (with the reason). Like a notification queue
 * name, the 128-bit ingest_id is what grants access.
 */
@ApiTags('ingest')
@AlApi()
@Controller('api/v4/ingest')
export class IngestStatusController {
  constructor(
    private readonly registry: ScanRegistry,
    @Inject(QUEUES) private readonly queues: Queues,
  ) {}

  @ApiPaths({ ingestId: 'The ingest_id POST /api/v4/ingest/ answered' })
  @ApiAlResponse(ref('AlIngestStatus'))
  @ApiAlErrors(400, 404)
  @Get('status/:ingestId/')
  @RequireRoles('submission_view')
  async status(@Param('ingestId') ingestId: string): Promise<IngestStatusAnswer> {
    const status = await this.registry.status(ingestId);
    if (status) return status;
    const job = await this.queues.get(QueueName.Ingest)!.getJob(ingestId);
    if (job) return { ingest_id: ingestId, state: 'queued', outcome: null, sid: null, score: null, failure: null };
    throw new NotFoundException(`Ingest ${ingestId} not found`);
  }
}
