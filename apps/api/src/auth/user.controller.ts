import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { ClassificationEngine } from '@hopper/classification';
import { CLASSIFICATION_ENGINE, HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { AlApi } from '../al-api/al-api.decorator';
import { CurrentUser } from './auth.decorators';
import type { AuthenticatedUser } from './auth.service';
import { whoamiView } from './whoami-view';

@ApiTags('user')
@AlApi()
@Controller('api/v4/user')
export class UserController {
  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    @Inject(CLASSIFICATION_ENGINE) private readonly engine: ClassificationEngine,
  ) {}

  /** Who the caller is, with the classification definition, configuration and settings, as Assemblyline answers it. */
  @Get('whoami/')
  whoami(@CurrentUser() auth: AuthenticatedUser) {
    return whoamiView(auth, this.config, this.engine);
  }
}
