import { Module } from '@nestjs/common';
import { VisibleFiles } from '../files/visible-files';
import { FileResultsController } from './file-results.controller';
import { FileSubmissionMeta } from './file-submission-meta';
import { FullSubmissions } from './full-submission';
import { ResultController } from './result.controller';
import { SubmissionController } from './submission.controller';
import { SubmissionDeletion } from './submission-deletion';
import { SubmissionSummaries } from './submission-summary';
import { SubmissionTrees } from './submission-tree';
import { VisibleSubmissions } from './visible-submissions';

/** Reading submissions and results: Assemblyline's submission routes, the file result routes, and results and errors by key. */
@Module({
  providers: [VisibleSubmissions, VisibleFiles, FullSubmissions, SubmissionSummaries, SubmissionTrees, FileSubmissionMeta, SubmissionDeletion],
  controllers: [SubmissionController, FileResultsController, ResultController],
})
export class SubmissionsModule {}
