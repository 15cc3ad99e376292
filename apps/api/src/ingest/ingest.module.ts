import { Module } from '@nestjs/common';
import { scanRegistryProvider } from '@hopper/queues';
import { AuthModule } from '../auth/auth.module';
import { IntakeModule } from '../intake';
import { QuotasModule } from '../quotas/quotas.module';
import { FileSourcesController } from './file-sources.controller';
import { IngestController } from './ingest.controller';
import { IngestStatusController } from './ingest-status.controller';
import { IngestService } from './ingest.service';

/** Assemblyline's ingest API: `POST /api/v4/ingest/`, an ingest's status, and the file sources a caller may use. */
@Module({
  imports: [AuthModule, QuotasModule, IntakeModule],
  controllers: [IngestController, IngestStatusController, FileSourcesController],
  providers: [IngestService, scanRegistryProvider],
})
export class IngestModule {}
