import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import { AuthenticatedRequest, PUBLIC_ROUTE, REQUIRED_ROLES } from './auth.decorators';
import { AuthService } from './auth.service';
import type { Role } from '@hopper/accounts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const SESSION_COOKIE = 'session';
export const XSRF_COOKIE = 'XSRF-TOKEN';

/**
 * Authenticates every non-public route, Assemblyline style: `X-USER` + `X-APIKEY` headers, or the
 * `session` cookie of a login (with the `X-XSRF-TOKEN` header on writes); then checks the route's roles.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    request.auth = await this.authenticate(request);
    const required = this.reflector.getAllAndOverride<Role[]>(REQUIRED_ROLES, targets) ?? [];
    const missing = required.find((role) => !request.auth!.roles.includes(role));
    if (missing) throw new ForbiddenException(`User '${request.auth.uname}' does not have the '${missing}' role required by this API`);
    return true;
  }

  private async authenticate(request: AuthenticatedRequest) {
    const uname = request.header('x-user');
    const apikey = request.header('x-apikey');
    if (uname && apikey) return this.auth.byApiKey(uname, apikey, request.ip ?? '');

    const sessionId = (request.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    if (!sessionId) throw new UnauthorizedException('Session not found');
    const session = await this.auth.sessions.get(sessionId);
    if (!session) throw new UnauthorizedException('Session expired');
    if (!SAFE_METHODS.has(request.method) && !sameToken(request.header('x-xsrf-token'), session.xsrf)) {
      throw new ForbiddenException('Invalid or missing X-XSRF-TOKEN header');
    }
    const authenticated = await this.auth.bySession(session);
    if (!authenticated) throw new UnauthorizedException('Session rejected');
    return authenticated;
  }
}

function sameToken(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
