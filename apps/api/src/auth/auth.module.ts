import { Global, Module } from '@nestjs/common';
import { ApiRootController } from '../al-api/api-root.controller';
import { HelpController } from '../al-api/help.controller';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { BootstrapAdmin } from './bootstrap-admin';
import { UserController } from './user.controller';

/** Global: every Assemblyline-compatible controller, in any module, uses its guard. */
@Global()
@Module({
  controllers: [ApiRootController, AuthController, UserController, HelpController],
  providers: [AuthService, AuthGuard, BootstrapAdmin],
  exports: [AuthService, AuthGuard],
})
export class AuthModule {}
