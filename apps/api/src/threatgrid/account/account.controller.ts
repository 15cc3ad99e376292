import { Controller, Get, Inject, Param, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiPaths, ApiTgErrors, ApiTgResponse } from '../../openapi/api-docs.decorators';
import { ref } from '../../openapi/schema-builders';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { UsersRepository } from '@hopper/datastore';
import { CLOCK, Clock } from '../../http/clock';
import { RateDecision, rateWindowsFor, RollingRateLimiter, WindowState } from '../controls';
import { TgApi } from '../http/tg-api.decorator';
import { TgError } from '../http/tg-envelope';
import type { TgRequest } from '../http/tg-auth.guard';
import { organizationOf } from './organization';

/**
 * Threat Grid's v3 account and configuration routes: who the caller is, its rate limits (user and
 * organization), and the VMs, playbooks and network exits a submission may choose from.
 */
@ApiTags('threatgrid')
@TgApi(3)
@Controller('api/v3')
export class AccountController {
  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly users: UsersRepository,
    private readonly limiter: RollingRateLimiter,
  ) {}

  /**
   * Who the api_key belongs to. Threat Grid answers a string for every field but organization_id: an account
   * always has an e-mail there, so a Hopper user made without one answers "" ("none on record") rather than
   * null, which clients that format or split the address would choke on; nor an invented `<login>@<org>`,
   * which someone could take for a real address and write to.
   */
  @ApiTgResponse(ref('TgWhoami'))
  @Get('session/whoami')
  whoami(@Req() request: TgRequest) {
    const { user, roles } = request.auth!;
    return {
      login: user.uname,
      name: user.name || user.uname,
      email: user.email ?? '',
      title: '',
      role: roles.includes('administration') ? 'org-admin' : 'user',
      organization_id: organizationOf(user, this.config.threatgrid).id,
    };
  }

  /**
   * The rate limits of `login` (the caller, or anyone for an administrator): for the user and for its
   * organization, each window with what is left and how long until the next sample fits.
   */
  @ApiPaths({ login: 'The caller, or anyone for an administrator' })
  @ApiTgResponse(ref('TgRateLimit'))
  @ApiTgErrors(400, 404)
  @Get('users/:login/rate-limit')
  async rateLimit(@Req() request: TgRequest, @Param('login') login: string) {
    const auth = request.auth!;
    if (login !== auth.uname && !auth.roles.includes('administration')) {
      throw new TgError(`You may only read your own rate limits (${auth.uname}).`, 403);
    }
    const user = login === auth.uname ? auth.user : await this.users.findByUname(login);
    if (!user) throw new TgError(`User ${login} not found.`, 404);
    const organization = organizationOf(user, this.config.threatgrid);
    const windows = rateWindowsFor(this.config.threatgrid, user.uname, organization.name);
    const decision = await this.limiter.peek(windows, this.clock.now());
    return {
      user: levelOf(decision, 'user'),
      organization: levelOf(decision, 'organization'),
    };
  }

  @ApiTgResponse(ref('TgVms'))
  @Get('configuration/vms')
  vms() {
    return { vms: this.config.threatgrid.vms };
  }

  @ApiTgResponse(ref('TgPlaybooks'))
  @Get('configuration/playbooks')
  playbooks() {
    return { playbooks: this.config.threatgrid.playbooks };
  }

  @ApiTgResponse(ref('TgNetworkExits'))
  @Get('configuration/network-exits')
  networkExits() {
    return this.config.threatgrid.network_exits;
  }
}

/** One level of Threat Grid's rate-limit answer; `submissions-available` is null when the level has no limit. */
function levelOf(decision: RateDecision, scope: WindowState['scope']) {
  const windows = decision.windows.filter((window) => window.scope === scope);
  return {
    'submission-rate-limit': windows.map((window) => ({
      samples: window.samples,
      minutes: window.minutes,
      'submissions-available': window.available,
      'submission-wait-seconds': window.waitSeconds,
    })),
    'submission-wait-seconds': Math.max(0, ...windows.map((window) => window.waitSeconds)),
    'submissions-available': windows.length ? Math.min(...windows.map((window) => window.available)) : null,
  };
}
