import { Module } from '@nestjs/common';
import { VisibleFiles } from '../files/visible-files';
import { FileResultsController } from './file-results.controller';
import { FullSubmissions } from './full-submission';
import { SubmissionController } from './submission.controller';
import { VisibleSubmissions } from './visible-submissions';

/** Reading submissions and results: Assemblyline's submission routes and the file result route. */
@Module({ providers: [VisibleSubmissions, VisibleFiles, FullSubmissions], controllers: [SubmissionController, FileResultsController] })
export class SubmissionsModule {}
