import { applyDecorators, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import { AuthGuard } from '../auth/auth.guard';
import { ApiAlErrors } from '../openapi/api-docs.decorators';
import { AlEnvelopeInterceptor } from './al-envelope';

/**
 * Marks a controller as Assemblyline-compatible: callers authenticate as Assemblyline's do, and answers come
 * in Assemblyline's envelope. Errors under /api/v4/ come in it too, from the global exception filter. The
 * OpenAPI document lists the errors every such route may answer (no credentials, a missing role, an outage).
 */
export const AlApi = () =>
  applyDecorators(UseGuards(AuthGuard), UseInterceptors(AlEnvelopeInterceptor), ApiSecurity('al-apikey'), ApiAlErrors(401, 403, 503));
