import { Controller, ForbiddenException, Get, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAlErrors, ApiAlResponse, ApiPaths } from '../openapi/api-docs.decorators';
import { ref } from '../openapi/schema-builders';
import type { Response } from 'express';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { UsersRepository, type UserRecord } from '@hopper/datastore';
import { effectiveQuotaLimits, remainingDaily, SubmissionQuotas } from '@hopper/queues';
import { AlApi } from '../al-api/al-api.decorator';
import { CurrentUser } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/auth.service';
import { setRemainingSubmissionQuota } from './remaining-quota-header';

/**
 * A user's submission quotas and their use, with Assemblyline's user-model field names for the limits, and
 * the two fields Assemblyline's own `get_remaining_quotas` answers (`daily_submission`, `daily_api`), which
 * assemblyline_client's `Client.user.quotas()` / `get_remaining_submission_quota()` read as integers.
 */
export interface QuotaReport {
  username: string;
  enforce_quota: boolean;
  /** Concurrent submits allowed (the user's own, else `ui.default_quotas.concurrent_submissions`); 0 = unlimited. */
  submission_quota: number;
  /** Concurrent ingests allowed (the user's own, else `ui.default_quotas.concurrent_async_submissions`); 0 = unlimited. */
  submission_async_quota: number;
  /** Submissions allowed per UTC day, submit and ingest together (the user's own, else `ui.default_quotas.daily_submissions`); 0 = unlimited. */
  submission_daily_quota: number;
  /** Submits holding a concurrent slot now. */
  submission_count: number;
  /** Ingests holding an async slot now. */
  submission_async_count: number;
  /** Submissions accepted today (UTC). */
  submission_daily_count: number;
  /** Daily submissions left; null when unlimited or not enforced. */
  remaining_quota_submission: number | null;
  /** Assemblyline's `max(submission_daily_quota - used today, 0)`: 0 too when the daily quota is unlimited, as there. */
  daily_submission: number;
  /**
   * Assemblyline's `max(api_daily_quota - API calls today, 0)`. Hopper counts no API calls, so this is
   * `ui.default_quotas.daily_api_calls` (0 when unlimited, as Assemblyline answers then).
   */
  daily_api: number;
}

/** `GET /api/v4/user/quotas/` (the caller) and `…/quotas/<username>/` (self, or anyone for administrators). */
@ApiTags('user')
@AlApi()
@Controller('api/v4/user/quotas')
export class QuotasController {
  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    private readonly quotas: SubmissionQuotas,
    private readonly users: UsersRepository,
  ) {}

  @ApiAlResponse(ref('AlQuotas'), { description: "The caller's quotas (also in the X-Remaining-Submission-Quota header)" })
  @Get()
  mine(@CurrentUser() auth: AuthenticatedUser, @Res({ passthrough: true }) response: Response): Promise<QuotaReport> {
    return this.report(auth.user, response);
  }

  @ApiPaths({ username: 'The caller, or anyone for an administrator' })
  @ApiAlResponse(ref('AlQuotas'))
  @ApiAlErrors(400, 404)
  @Get(':username/')
  async of(
    @CurrentUser() auth: AuthenticatedUser,
    @Param('username') username: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<QuotaReport> {
    if (username === auth.uname) return this.report(auth.user, response);
    // Assemblyline's text for another user's quotas (`api/v4/user.py`: `get_remaining_quotas`).
    if (!auth.roles.includes('administration')) {
      throw new ForbiddenException('You are not allowed to view settings for another user then yourself.');
    }
    const user = await this.users.findByUname(username);
    if (!user) throw new NotFoundException(`User ${username} does not exists`);
    return this.report(user, response, false);
  }

  private async report(user: UserRecord, response: Response, ownHeader = true): Promise<QuotaReport> {
    const defaults = this.config.ui.default_quotas;
    const submit = effectiveQuotaLimits(user, defaults, 'submit');
    const async = effectiveQuotaLimits(user, defaults, 'async');
    const [submitUsage, asyncUsage] = await Promise.all([this.quotas.usage(user.uname, 'submit'), this.quotas.usage(user.uname, 'async')]);
    const enforce = this.quotas.enforced;
    const remaining = enforce ? remainingDaily(submit.daily, submitUsage.daily) : null;
    if (ownHeader) setRemainingSubmissionQuota(response, remaining);
    return {
      username: user.uname,
      enforce_quota: enforce,
      submission_quota: submit.concurrent,
      submission_async_quota: async.concurrent,
      submission_daily_quota: submit.daily,
      submission_count: submitUsage.concurrent,
      submission_async_count: asyncUsage.concurrent,
      submission_daily_count: submitUsage.daily,
      remaining_quota_submission: remaining,
      daily_submission: Math.max(submit.daily - submitUsage.daily, 0),
      daily_api: defaults.daily_api_calls,
    };
  }
}
