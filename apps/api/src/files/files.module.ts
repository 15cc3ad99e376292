import { Module } from '@nestjs/common';
import { FileController } from './file.controller';
import { FileDownloads } from './file-download';
import { VisibleFiles } from './visible-files';

/** Assemblyline's file routes: info, download (raw, CaRT, zip), strings and hex. */
@Module({
  controllers: [FileController],
  providers: [VisibleFiles, FileDownloads],
})
export class FilesApiModule {}
