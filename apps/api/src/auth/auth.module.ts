import { Module } from '@nestjs/common';
import { ApiRootController } from '../al-api/api-root.controller';
import { HelpController } from '../al-api/help.controller';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { BootstrapAdmin } from './bootstrap-admin';
import { UserController } from './user.controller';

/**
 * Login, sessions, API keys and the guard of every Assemblyline-compatible controller (`@AlApi()`); a module with
 * such controllers (or with Threat Grid's guard, which authenticates through `AuthService`) imports this one.
 */
@Module({
  controllers: [ApiRootController, AuthController, UserController, HelpController],
  providers: [AuthService, AuthGuard, BootstrapAdmin],
  exports: [AuthService, AuthGuard],
})
export class AuthModule {}
