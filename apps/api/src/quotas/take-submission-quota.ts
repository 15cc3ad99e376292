import { HttpException } from '@nestjs/common';
import type { Response } from 'express';
import type { HopperConfig } from '@hopper/config';
import { effectiveQuotaLimits, SubmissionQuotas, UserQuotaFields } from '@hopper/queues';
import { setRemainingSubmissionQuota } from './remaining-quota-header';

/**
 * Takes a submission quota slot for `submissionId` (Assemblyline's `check_submission_quota`), sending the
 * remaining daily count; a full quota is a 503 with Assemblyline's text. Whoever takes it refunds it
 * (`SubmissionQuotas.refund`) if the request then fails, so a refused request consumes nothing.
 */
export async function takeSubmissionQuota(
  quotas: SubmissionQuotas,
  config: Pick<HopperConfig, 'ui'>,
  user: { uname: string } & UserQuotaFields,
  submissionId: string,
  response: Response,
): Promise<void> {
  const limits = effectiveQuotaLimits(user, config.ui.default_quotas);
  const decision = await quotas.tryAcquire(user.uname, limits, submissionId);
  setRemainingSubmissionQuota(response, decision.remainingDaily);
  if (!decision.ok) throw new HttpException(decision.error, 503);
}
