import { Controller, ForbiddenException, Get, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { UsersRepository, type UserRecord } from '@hopper/datastore';
import { effectiveQuotaLimits, remainingDaily, SubmissionQuotas } from '@hopper/queues';
import { AlApi } from '../al-api/al-api.decorator';
import { CurrentUser } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/auth.service';
import { setRemainingSubmissionQuota } from './remaining-quota-header';

/** A user's submission quotas and their use, with Assemblyline's user-model field names for the limits. */
export interface QuotaReport {
  username: string;
  enforce_quota: boolean;
  /** Concurrent submissions allowed (the user's own, else `ui.default_quotas.concurrent_submissions`); 0 = unlimited. */
  submission_quota: number;
  /** Submissions allowed per UTC day (the user's own, else `ui.default_quotas.daily_submissions`); 0 = unlimited. */
  submission_daily_quota: number;
  /** Submissions holding a concurrent slot now. */
  submission_count: number;
  /** Submissions accepted today (UTC). */
  submission_daily_count: number;
  /** Daily submissions left; null when unlimited or not enforced. */
  remaining_quota_submission: number | null;
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

  @Get()
  mine(@CurrentUser() auth: AuthenticatedUser, @Res({ passthrough: true }) response: Response): Promise<QuotaReport> {
    return this.report(auth.user, response);
  }

  @Get(':username/')
  async of(
    @CurrentUser() auth: AuthenticatedUser,
    @Param('username') username: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<QuotaReport> {
    if (username === auth.uname) return this.report(auth.user, response);
    // Assemblyline's text for viewing another user's account (`api/v4/user.py`: `get_user_account`).
    if (!auth.roles.includes('administration')) throw new ForbiddenException('You are not allow to view other users then yourself.');
    const user = await this.users.findByUname(username);
    if (!user) throw new NotFoundException(`User ${username} does not exists`);
    return this.report(user, response, false);
  }

  private async report(user: UserRecord, response: Response, ownHeader = true): Promise<QuotaReport> {
    const limits = effectiveQuotaLimits(user, this.config.ui.default_quotas);
    const usage = await this.quotas.usage(user.uname);
    const enforce = this.quotas.enforced;
    const remaining = enforce ? remainingDaily(limits.daily, usage.daily) : null;
    if (ownHeader) setRemainingSubmissionQuota(response, remaining);
    return {
      username: user.uname,
      enforce_quota: enforce,
      submission_quota: limits.concurrent,
      submission_daily_quota: limits.daily,
      submission_count: usage.concurrent,
      submission_daily_count: usage.daily,
      remaining_quota_submission: remaining,
    };
  }
}
