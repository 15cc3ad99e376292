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
export const AlApi = ({ envelopeInterceptor = true }: AlApiOptions = {}) =>
  applyDecorators(
    UseGuards(AuthGuard),
    ...(envelopeInterceptor ? [UseInterceptors(AlEnvelopeInterceptor)] : []),
    ApiSecurity('al-apikey'),
    ApiAlErrors(401, 403, 503),
  );

export interface AlApiOptions {
  /**
   * False: the controller's routes answer `alAnswer(request, data)` themselves instead of going through
   * AlEnvelopeInterceptor. Only for the hottest route, `POST /api/v4/ingest/`: Nest runs any interceptor
   * through rxjs and two AsyncResource.bind per request, which took a quarter of that route's CPU (a sha256
   * ingest: 963 -> 692 us in an A/B of the two builds, docs/operations.md).
   */
  envelopeInterceptor?: boolean;
}
