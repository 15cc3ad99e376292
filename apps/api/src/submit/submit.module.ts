import { pendingFilesProvider } from '@hopper/queues';
import { Module } from '@nestjs/common';
import { SubmittedFileLoader } from '../ingest/submitted-file-loader';
import { IntakeModule } from '../intake/intake.module';
import { FileSubmission } from './file-submission';
import { FlowUploads } from './flowjs/flow-uploads';
import { ResubmitService } from './resubmit.service';
import { SubmissionStarter } from '@hopper/lifecycle';
import { SubmitController } from './submit.controller';
import { SubmitService } from './submit.service';
import { UiController } from './ui.controller';
import { UiStartService } from './ui-start.service';

/**
 * Assemblyline's submit API (`POST /api/v4/submit/`, dynamic resubmission, resubmission) and the UI's
 * chunked upload and start: submissions made here skip the ingester and go straight to the dispatcher.
 */
@Module({
  imports: [IntakeModule],
  controllers: [SubmitController, UiController],
  providers: [SubmitService, ResubmitService, UiStartService, FlowUploads, FileSubmission, SubmissionStarter, SubmittedFileLoader, pendingFilesProvider],
})
export class SubmitModule {}
