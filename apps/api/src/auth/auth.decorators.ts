import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { AuthenticatedUser } from './auth.service';
import type { Role } from '@hopper/accounts';

export const PUBLIC_ROUTE = 'hopper:public';
export const REQUIRED_ROLES = 'hopper:roles';

/** The route needs no authentication. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** The caller must hold every one of these roles. */
export const RequireRoles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

export type AuthenticatedRequest = Request & { auth?: AuthenticatedUser };

/** The authenticated caller of this request. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedUser => context.switchToHttp().getRequest<AuthenticatedRequest>().auth!,
);
