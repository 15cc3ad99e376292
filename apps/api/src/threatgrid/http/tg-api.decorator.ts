import { applyDecorators, SetMetadata, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import { ApiTgErrors } from '../../openapi/api-docs.decorators';
import { TgAuthGuard } from './tg-auth.guard';
import { TG_API_VERSION, TgEnvelopeInterceptor, TgExceptionFilter } from './tg-envelope';

/**
 * Marks a controller as Threat Grid-compatible: callers authenticate with `api_key` (query, form or Bearer),
 * answers come in `{api_version, id, data}` and errors in Threat Grid's error envelope.
 */
export const TgApi = (version: 2 | 3) =>
  applyDecorators(
    SetMetadata(TG_API_VERSION, version),
    UseGuards(TgAuthGuard),
    UseInterceptors(TgEnvelopeInterceptor),
    UseFilters(new TgExceptionFilter(version)),
    ApiSecurity('tg-api-key'),
    // Errors every such route may answer (no or a wrong api_key, a missing role, an outage), in the OpenAPI document.
    ApiTgErrors(401, 403, 503),
  );
