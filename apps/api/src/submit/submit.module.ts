import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { IntakeModule } from '../intake';
import { QuotasModule } from '../quotas/quotas.module';
import { FlowUploads } from './flowjs/flow-uploads';
import { ResubmitService } from './resubmit.service';
import { SubmitController } from './submit.controller';
import { SubmitService } from './submit.service';
import { UiController } from './ui.controller';
import { UiStartService } from './ui-start.service';

/**
 * Assemblyline's submit API (`POST /api/v4/submit/`, dynamic resubmission, resubmission) and the UI's
 * chunked upload and start: submissions made here skip the ingester and go straight to the dispatcher.
 */
@Module({
  imports: [AuthModule, QuotasModule, IntakeModule],
  controllers: [SubmitController, UiController],
  providers: [SubmitService, ResubmitService, UiStartService, FlowUploads],
})
export class SubmitModule {}
