import { applyDecorators, SetMetadata, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
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
  );
