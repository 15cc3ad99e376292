import { All, Controller, Req, UseFilters, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { TgEnvelopeInterceptor, TgError, TgExceptionFilter } from './tg-envelope';

/**
 * Anything else under /api/v2 or /api/v3: a 404 in Threat Grid's error envelope (clients call `.json()` on every
 * answer). Registered after every Threat Grid controller, so it only catches what none of them route.
 */
@ApiExcludeController()
@UseInterceptors(TgEnvelopeInterceptor)
@UseFilters(new TgExceptionFilter(2))
@Controller()
export class TgNotFoundController {
  @All(['api/v2/*path', 'api/v3/*path'])
  notFound(@Req() request: Request): never {
    throw new TgError(`No such API: ${request.method} ${request.path}.`, 404);
  }
}
