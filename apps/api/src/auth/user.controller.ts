import { Controller, ForbiddenException, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAlErrors, ApiAlResponse, ApiPaths } from '../openapi/api-docs.decorators';
import { ref } from '../openapi/schema-builders';
import { effectiveRoles } from '@hopper/accounts';
import type { ClassificationEngine } from '@hopper/classification';
import { CLASSIFICATION_ENGINE, HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { UsersRepository } from '@hopper/datastore';
import { AlApi } from '../al-api/al-api.decorator';
import { CurrentUser } from './auth.decorators';
import type { AuthenticatedUser } from './auth.service';
import { ParamsOwner, userSubmissionParams } from './user-submission-params';
import { whoamiView } from './whoami-view';

/** The name Assemblyline's clients use for the caller (al-submit -d: `submission_params("__CURRENT__")`). */
export const CURRENT_USER = '__CURRENT__';

@ApiTags('user')
@AlApi()
@Controller('api/v4/user')
export class UserController {
  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    @Inject(CLASSIFICATION_ENGINE) private readonly engine: ClassificationEngine,
    private readonly users: UsersRepository,
  ) {}

  /** Who the caller is, with the classification definition, configuration and settings, as Assemblyline answers it. */
  @ApiAlResponse(ref('AlWhoami'))
  @Get('whoami/')
  whoami(@CurrentUser() auth: AuthenticatedUser) {
    return whoamiView(auth, this.config, this.engine);
  }

  /**
   * The submission parameters of `username` (`__CURRENT__`: the caller) for `profile` (default "default",
   * the Custom Analysis settings), as Assemblyline's `get_user_submission_params` answers them. Another user's
   * need the administration role.
   */
  @ApiPaths({ username: 'A user name, or __CURRENT__ for the caller', profile: 'A submission profile (default: "default")' })
  @ApiAlResponse(ref('AlSubmissionParams'))
  @ApiAlErrors(400, 404)
  @Get(['submission_params/:username/', 'submission_params/:username/:profile/'])
  async submissionParams(@Param('username') username: string, @Param('profile') profile: string | undefined, @CurrentUser() auth: AuthenticatedUser) {
    return userSubmissionParams(await this.paramsOwner(username, auth), profile ?? 'default', this.config, this.engine);
  }

  private async paramsOwner(username: string, auth: AuthenticatedUser): Promise<ParamsOwner> {
    if (username === CURRENT_USER || username === auth.uname) return { user: auth.user, roles: auth.roles };
    if (!auth.roles.includes('administration')) throw new ForbiddenException('You are not allowed to view settings for another user then yourself.');
    const user = await this.users.findByUname(username);
    if (!user) throw new NotFoundException(`User ${username} does not exist`);
    return { user, roles: effectiveRoles(user.type, user.roles) };
  }
}
