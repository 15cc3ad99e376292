import { Global, Module } from '@nestjs/common';
import { QuotasController } from './quotas.controller';
import { submissionQuotasProvider } from '@hopper/queues';

/** Global: the submit and ingest routes inject `SubmissionQuotas` from here. */
@Global()
@Module({
  controllers: [QuotasController],
  providers: [submissionQuotasProvider],
  exports: [submissionQuotasProvider],
})
export class QuotasModule {}
