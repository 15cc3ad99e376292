import { Module } from '@nestjs/common';
import { IntakeModule } from '../intake/intake.module';
import { FileSourcesController } from './file-sources.controller';
import { IngestController } from './ingest.controller';
import { IngestService } from './ingest.service';
import { SubmittedFileLoader } from './submitted-file-loader';

/** Assemblyline's ingest API: `POST /api/v4/ingest/` and the file sources a caller may use. */
@Module({
  imports: [IntakeModule],
  controllers: [IngestController, FileSourcesController],
  providers: [IngestService, SubmittedFileLoader],
})
export class IngestModule {}
