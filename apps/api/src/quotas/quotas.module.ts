import { Global, Module } from '@nestjs/common';
import { QuotasController } from './quotas.controller';
import { submissionQuotasProvider } from './submission-quotas.provider';

/** Global: the submit and ingest routes inject `SubmissionQuotas` from here. */
@Global()
@Module({
  controllers: [QuotasController],
  providers: [submissionQuotasProvider],
  exports: [submissionQuotasProvider],
})
export class QuotasModule {}
