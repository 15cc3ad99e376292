import { Module } from '@nestjs/common';
import { pendingFilesProvider, scanRegistryProvider } from '@hopper/queues';
import { IntakeModule } from '../intake/intake.module';
import { FileSourcesController } from './file-sources.controller';
import { IngestController } from './ingest.controller';
import { IngestStatusController } from './ingest-status.controller';
import { IngestService } from './ingest.service';
import { SubmittedFileLoader } from './submitted-file-loader';

/** Assemblyline's ingest API: `POST /api/v4/ingest/`, an ingest's status, and the file sources a caller may use. */
@Module({
  imports: [IntakeModule],
  controllers: [IngestController, IngestStatusController, FileSourcesController],
  providers: [IngestService, SubmittedFileLoader, scanRegistryProvider, pendingFilesProvider],
})
export class IngestModule {}
