import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { FileController } from './file.controller';
import { FileDownloads } from './file-download';
import { VisibleFiles } from './visible-files';

/** Assemblyline's file routes: info, download (raw, CaRT, zip), strings and hex. Exports `VisibleFiles` (what a caller may see). */
@Module({
  imports: [AuthModule],
  controllers: [FileController],
  providers: [VisibleFiles, FileDownloads],
  exports: [VisibleFiles],
})
export class FilesApiModule {}
