import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AlApi } from '../al-api/al-api.decorator';
import { CurrentUser } from './auth.decorators';
import type { AuthenticatedUser } from './auth.service';

@ApiTags('user')
@AlApi()
@Controller('api/v4/user')
export class UserController {
  /** Who the caller is, with Assemblyline's field names. */
  @Get('whoami/')
  whoami(@CurrentUser() auth: AuthenticatedUser) {
    const { user } = auth;
    return {
      username: user.uname,
      name: user.name,
      email: user.email,
      type: user.type,
      roles: auth.roles,
      groups: user.groups,
      classification: user.classification,
      is_active: user.is_active,
      roles_limit: auth.roles_limit,
    };
  }
}
