import { ArgumentsHost, Catch, HttpException, NotFoundException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Request, Response } from 'express';
import { outageOf } from '@hopper/observability';
import { answerAlError } from '../al-api/al-envelope';
import { TgExceptionFilter } from '../threatgrid/http/tg-envelope';
import { outageAnswer } from './error-answer';

/** The API family a path belongs to: its errors are answered in that family's envelope. */
export type ApiFamily = 'assemblyline' | 'threatgrid' | null;

// Leading slashes repeat when a client's base URL ends in one (`//api/v2/…`). `/api/` itself is Assemblyline's
// (the client reads its version list there); anything else under /api/ belongs to neither family.
const ASSEMBLYLINE_PATH = /^\/+api(?:\/?$|\/v4(?:\/|$))/;
const THREATGRID_PATH = /^\/+api\/v([23])(?:\/|$)/;

export function apiFamilyOf(path: string): { family: ApiFamily; version: 2 | 3 | null } {
  const threatgrid = THREATGRID_PATH.exec(path);
  if (threatgrid) return { family: 'threatgrid', version: threatgrid[1] === '3' ? 3 : 2 };
  return { family: ASSEMBLYLINE_PATH.test(path) ? 'assemblyline' : null, version: null };
}

const threatGridFilters = { 2: new TgExceptionFilter(2), 3: new TgExceptionFilter(3) } as const;

/**
 * The one exception filter of the API, for every error wherever it is raised: in a route, or before any
 * route ran (an unknown path, a percent-escape that does not decode, an Express middleware's error). Under
 * /api/v4/ the answer is Assemblyline's envelope, under /api/v2/ and /api/v3/ Threat Grid's; anywhere else
 * NestJS's default answer stays.
 */
@Catch()
export class ApiExceptionFilter extends BaseExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return super.catch(exception, host);
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const { family, version } = apiFamilyOf(request.path ?? request.url);
    if (family === 'assemblyline') return answerAlError(asAssemblylineError(exception, request), request, response);
    if (family === 'threatgrid') return threatGridFilters[version ?? 2].catch(exception, host);
    return super.catch(asNestOutage(exception, response), host);
  }
}

/**
 * Assemblyline's words for a path no route serves: "Api does not exist (<path>)". NestJS's not-found handler
 * (it runs when no route matched) raises "Cannot <method> <url>"; no route of Hopper's raises that text.
 */
function asAssemblylineError(exception: unknown, request: Request): unknown {
  const unrouted = exception instanceof NotFoundException && exception.message === `Cannot ${request.method} ${request.originalUrl}`;
  return unrouted ? new NotFoundException(`Api does not exist (${request.path})`) : exception;
}

/** Outside both families, an outage is NestJS's 503 with Retry-After instead of its 500. */
function asNestOutage(exception: unknown, response: Response): unknown {
  const outage = exception instanceof HttpException ? null : outageOf(exception);
  if (!outage || response.headersSent) return exception;
  const { status, message, headers } = outageAnswer(outage);
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  return new HttpException({ statusCode: status, message }, status);
}
