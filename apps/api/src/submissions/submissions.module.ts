import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { FilesApiModule } from '../files/files.module';
import { QuotasModule } from '../quotas/quotas.module';
import { FileResultsController } from './file-results.controller';
import { FileSubmissionMeta } from './file-submission-meta';
import { FullSubmissions } from './full-submission';
import { ResultController } from './result.controller';
import { SubmissionController } from './submission.controller';
import { SubmissionDeletion } from './submission-deletion';
import { SubmissionSummaries } from './submission-summary';
import { SubmissionTrees } from './submission-tree';
import { VisibleSubmissions } from './visible-submissions';

/**
 * Reading submissions and results: Assemblyline's submission routes, the file result routes, and results and
 * errors by key. Exports `VisibleSubmissions` (what a caller may see), which the Threat Grid samples read through.
 */
@Module({
  imports: [AuthModule, QuotasModule, FilesApiModule],
  providers: [VisibleSubmissions, FullSubmissions, SubmissionSummaries, SubmissionTrees, FileSubmissionMeta, SubmissionDeletion],
  controllers: [SubmissionController, FileResultsController, ResultController],
  exports: [VisibleSubmissions],
})
export class SubmissionsModule {}
