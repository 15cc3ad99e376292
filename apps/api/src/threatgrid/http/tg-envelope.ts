import {
  ArgumentsHost,
  CallHandler,
  Catch,
  ExceptionFilter,
  ExecutionContext,
  HttpException,
  Injectable,
  Logger,
  NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { randomInt } from 'node:crypto';
import { map, Observable } from 'rxjs';
import { errorAnswer } from '../../http/error-answer';
import { assertJsonBodyAccepted, JsonBodyRequest } from '../../http/json-body';
import { assertFormBodyAccepted, FormBodyRequest } from '../../http/form-body';

export const TG_API_VERSION = 'hopper:tg-api-version';
/** Threat Grid's own Content-Type (clients call `.json()` on every answer, errors included). */
const TG_CONTENT_TYPE = 'application/json;charset=utf-8';

/** One entry of Threat Grid's `error.errors[]` (integrations read `errors[0]`). */
export interface TgErrorDetail {
  code: number;
  message: string;
  help?: string;
  report?: string;
}

/** A refusal in Threat Grid's words: the message and, when there are several problems, each of them. */
export class TgError extends HttpException {
  constructor(
    message: string,
    status: number,
    readonly details: TgErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message, status);
  }
}

/** Threat Grid's request id: an integer per answer (clients only log it). */
const requestId = (): number => randomInt(1, 2 ** 31 - 1);

function versionOf(reflector: Reflector, context: ExecutionContext | ArgumentsHost): number {
  const handlerContext = context as ExecutionContext;
  if (typeof handlerContext.getHandler !== 'function') return 2;
  return reflector.getAllAndOverride<number>(TG_API_VERSION, [handlerContext.getHandler(), handlerContext.getClass()]) ?? 2;
}

/** A JSON answer with Threat Grid's exact Content-Type (a Buffer, so Express leaves the header as set). */
export function sendTgJson(response: Response, status: number, body: unknown): void {
  response.status(status).setHeader('Content-Type', TG_CONTENT_TYPE);
  response.send(Buffer.from(JSON.stringify(body)));
}

/** Wraps every answer of a Threat Grid-compatible route in `{api_version, id, data}`. */
@Injectable()
export class TgEnvelopeInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<JsonBodyRequest & FormBodyRequest>();
    assertJsonBodyAccepted(request);
    assertFormBodyAccepted(request);
    const api_version = versionOf(this.reflector, context);
    const response = context.switchToHttp().getResponse<Response>();
    response.setHeader('Content-Type', TG_CONTENT_TYPE);
    // A string, not an object: Nest would answer an object with its own Content-Type.
    return next.handle().pipe(map((data) => JSON.stringify({ api_version, id: requestId(), data: data ?? null })));
  }
}

/** Errors of Threat Grid-compatible routes, in Threat Grid's error envelope, never Assemblyline's. */
@Catch()
export class TgExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ThreatGridApi');

  constructor(private readonly api_version: number) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request>();
    const { status, message, unexpected, headers } = errorAnswer(exception, 'Internal server error.');
    if (unexpected) this.logger.error({ req: request }, exception instanceof Error ? exception.stack : String(exception));
    if (!response.headersSent) for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    if (exception instanceof TgError) for (const [name, value] of Object.entries(exception.headers)) response.setHeader(name, value);
    const details = exception instanceof TgError && exception.details.length ? exception.details : [{ code: status, message }];
    if (response.headersSent) {
      request.socket?.destroy();
      return;
    }
    sendTgJson(response, status, { api_version: this.api_version, id: requestId(), error: { message, code: status, errors: details } });
  }
}
