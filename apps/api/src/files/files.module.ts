import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { IntakeModule } from '../intake';
import { FileController } from './file.controller';
import { FileDownloads } from './file-download';
import { VisibleFiles } from './visible-files';

/**
 * Assemblyline's file routes: info, download (raw, CaRT, zip), strings and hex. Exports `VisibleFiles` (what a
 * caller may see). Imports the intake for `PendingFiles`: a file just ingested is read from its pending sightings.
 */
@Module({
  imports: [AuthModule, IntakeModule],
  controllers: [FileController],
  providers: [VisibleFiles, FileDownloads],
  exports: [VisibleFiles],
})
export class FilesApiModule {}
