import { Body, Controller, Get, HttpCode, Post, Req, Res, UnauthorizedException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAlErrors, ApiAlResponse, ApiJsonBody } from '../openapi/api-docs.decorators';
import { object, ref, str } from '../openapi/schema-builders';
import type { Request, Response } from 'express';
import { AlApi } from '../al-api/al-api.decorator';
import { Public } from './auth.decorators';
import { AuthService, SESSION_DURATION_SECONDS } from './auth.service';
import { SESSION_COOKIE, XSRF_COOKIE } from './auth.guard';
import { loginCredentials } from './login-credentials';

/** Assemblyline's answer to a login without a user and a key or password (any of them not a string counts as absent). */
export const NOT_ENOUGH_INFORMATION = 'Not enough information to proceed with authentication';

@ApiTags('auth')
@AlApi()
@Controller('api/v4/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** Assemblyline's login: sets the `session` and `XSRF-TOKEN` cookies the Python client sends back. */
  @Public()
  @ApiJsonBody(
    object({ user: str, apikey: { ...str, description: '"<key name>:<secret>"' }, password: str }, { optional: ['apikey', 'password'], description: 'user with apikey or password' }),
  )
  @ApiAlResponse(ref('AlLogin'), { description: 'Signed in: sets the `session` and `XSRF-TOKEN` cookies' })
  @ApiAlErrors(400, 429)
  @Post('login/')
  @HttpCode(200)
  async login(@Body() body: unknown, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const ip = request.ip ?? '';
    const credentials = loginCredentials(body);
    if (!credentials) throw new UnauthorizedException(NOT_ENOUGH_INFORMATION);
    const authenticated =
      'apikey' in credentials
        ? await this.auth.byApiKey(credentials.user, credentials.apikey, ip)
        : await this.auth.byPassword(credentials.user, credentials.password, ip);

    const { id, session } = await this.auth.sessions.create(authenticated.uname, authenticated.roles_limit);
    // Secure only over TLS: over plain http the client would never send a Secure cookie back.
    const common = { path: '/', sameSite: 'strict' as const, secure: request.secure, maxAge: SESSION_DURATION_SECONDS * 1000 };
    response.cookie(SESSION_COOKIE, id, { ...common, httpOnly: true });
    response.cookie(XSRF_COOKIE, session.xsrf, common);
    return { username: authenticated.uname, roles_limit: authenticated.roles_limit, session_duration: SESSION_DURATION_SECONDS };
  }

  @ApiAlResponse(ref('AlSuccess'), { description: 'Signed out: the session is gone and its cookies cleared' })
  @Get('logout/')
  async logout(@Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const id = (request.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    if (id) await this.auth.sessions.destroy(id);
    response.clearCookie(SESSION_COOKIE, { path: '/' });
    response.clearCookie(XSRF_COOKIE, { path: '/' });
    return { success: true };
  }
}
