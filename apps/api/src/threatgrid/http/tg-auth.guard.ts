import { CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { outageOf } from '@hopper/observability';
import type { Role } from '@hopper/accounts';
import { AuthenticatedRequest, REQUIRED_ROLES } from '../../auth/auth.decorators';
import { AuthenticatedUser, AuthService } from '../../auth/auth.service';
import type { FormBodyRequest } from '../../http/form-body';
import { apiKeyOf, splitThreatGridKey } from './tg-api-key';
import { TgError } from './tg-envelope';

export const UNAUTHORIZED = 'Unauthorized API request.';
const AUTH_IN_MULTIPART = 'hopper:tg-auth-in-multipart';

/** The route reads multipart bodies whose `api_key` field may come before the file: it authenticates itself. */
export const AuthInMultipart = () => SetMetadata(AUTH_IN_MULTIPART, true);

export type TgRequest = AuthenticatedRequest & FormBodyRequest;

/**
 * Authenticates Threat Grid callers by their `api_key` (see apiKeyOf), then checks the route's roles.
 * A multipart upload without a key elsewhere is let through to the route, which authenticates on the
 * form's `api_key` field before it stores any of the file.
 */
@Injectable()
export class TgAuthGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<TgRequest>();
    const apiKey = apiKeyOf(request);
    if (!apiKey && this.reflector.getAllAndOverride<boolean>(AUTH_IN_MULTIPART, targets) && isMultipart(request)) return true;
    request.auth = await this.authenticate(apiKey, request.ip ?? '');
    assertRoles(request.auth, this.reflector.getAllAndOverride<Role[]>(REQUIRED_ROLES, targets) ?? []);
    return true;
  }

  /** The user behind a Threat Grid api_key; 401 in Threat Grid's words otherwise. */
  async authenticate(apiKey: string | undefined, ip: string): Promise<AuthenticatedUser> {
    const parts = apiKey ? splitThreatGridKey(apiKey) : null;
    if (!parts) throw new TgError(UNAUTHORIZED, 401, [{ code: 401, message: apiKey ? 'Malformed api_key: expected <user>:<key name>:<secret>.' : 'No api_key given.' }]);
    try {
      return await this.auth.byApiKey(parts.uname, parts.apikey, ip);
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() === HttpStatus.TOO_MANY_REQUESTS) throw error;
      // The user could not be looked up (MongoDB or Redis down): a 503 the client retries, not a refused key.
      if (outageOf(error) !== null) throw error;
      throw new TgError(UNAUTHORIZED, 401, [{ code: 401, message: 'Invalid api_key.' }]);
    }
  }
}

export function assertRoles(auth: AuthenticatedUser, required: readonly Role[]): void {
  const missing = required.find((role) => !auth.roles.includes(role));
  if (missing) throw new TgError(`User '${auth.uname}' does not have the '${missing}' role required by this API.`, 403);
}

const isMultipart = (request: Request): boolean => /^multipart\/form-data\b/i.test(request.headers['content-type'] ?? '');
