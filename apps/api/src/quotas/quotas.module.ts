import { Module } from '@nestjs/common';
import { submissionQuotasProvider } from '@hopper/queues';
import { AuthModule } from '../auth/auth.module';
import { QuotasController } from './quotas.controller';

/** `GET /api/v4/user/quotas/`, and `SubmissionQuotas` for the modules that take or release quota slots (import this). */
@Module({
  imports: [AuthModule],
  controllers: [QuotasController],
  providers: [submissionQuotasProvider],
  exports: [submissionQuotasProvider],
})
export class QuotasModule {}
