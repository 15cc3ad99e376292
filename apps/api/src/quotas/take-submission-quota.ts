import { HttpException } from '@nestjs/common';
import type { HopperConfig } from '@hopper/config';
import { effectiveQuotaLimits, QuotaPool, SubmissionQuotas, UserQuotaFields } from '@hopper/queues';
import type { HeaderSink } from '../http/answer-headers';
import { setRemainingSubmissionQuota } from './remaining-quota-header';

/**
 * Takes a quota slot of `pool` for `submissionId` (Assemblyline's `check_submission_quota`, or
 * `check_async_submission_quota` for ingest), setting the remaining daily count in `headers`; a full quota is a 503 with
 * Assemblyline's text. Whoever takes it refunds it (`SubmissionQuotas.refund`, same pool) if the request then
 * fails, so a refused request consumes nothing.
 */
export async function takeSubmissionQuota(
  quotas: SubmissionQuotas,
  config: Pick<HopperConfig, 'ui'>,
  user: { uname: string } & UserQuotaFields,
  submissionId: string,
  headers: HeaderSink,
  pool: QuotaPool = 'submit',
): Promise<void> {
  const limits = effectiveQuotaLimits(user, config.ui.default_quotas, pool);
  const decision = await quotas.tryAcquire(user.uname, limits, submissionId, pool);
  setRemainingSubmissionQuota(headers, decision.remainingDaily);
  if (!decision.ok) throw new HttpException(decision.error, 503);
}
